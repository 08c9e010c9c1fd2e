# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""server/* documents: task result, repository status, repository products."""

from ..xmlout import element, sub


def task(ctx, task_id, ok, message=""):
    status = "success" if ok else "failed"
    if ctx.xml:
        return [element("task", (("id", task_id), ("status", status), ("message", message)))]
    return {"task": {"id": task_id, "status": status, "message": message}}


def repository_status(ctx, status):
    if ctx.xml:
        return [element("status", body=status)]
    return {"status": status}


_REPO_FIELDS = ("code", "modified_time", "revision", "size", "files", "last_update_endtime",
                "last_update_src", "last_update_rc", "last_update_rc_code")


def repositories(ctx, repos):
    if ctx.xml:
        root = element("repositories", [("total", len(repos))])
        for repo in repos:
            sub(root, "repository", [(name, getattr(repo, name)) for name in _REPO_FIELDS], repo.name)
        return [root]
    # [emulator choice] SPEC §3.9: a list of objects for 4.3.
    return {"repositories": {"total": len(repos), "list": [
        dict({name: getattr(repo, name) for name in _REPO_FIELDS}, name=repo.name) for repo in repos]}}
