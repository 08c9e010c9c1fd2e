# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):

    # The include option of the plugins that read station details (drweb.esuite.station_include):
    # the blocks of stations/info.ds, as _parser.STATION_INCLUDE_FLAGS names them. Each plugin
    # describes what the option does for it.
    DOCUMENTATION = r'''
options:
  include:
    type: list
    elements: str
    choices: [all, bases, components, group_membership, installed_components, keys, machines, modules, rights,
              running_components, station_type]
    default: []
'''
