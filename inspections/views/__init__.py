"""HTML pages of the inspections (issue 5), one module per page group.

visits: the visit list, recording a visit, the visit page (which prints as the report);
visit_edits: what inspectors add to a visit (findings, proposals, conclusions, directives);
visit_items: changing or deleting a finding or a pending proposal;
directives: the directive board and a directive's page with its progress notes;
proposals: the proposals addressed to a department, with the answer form;
communes: a commune's visits and open directives.

Every page starts from `visible_to(user)` (out of scope: 404) and writes only through
inspections.services, whose refusals are shown on the form that was sent (nothing is saved).
"""
