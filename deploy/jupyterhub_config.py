"""clinician-workbook on one machine (The Littlest JupyterHub, or any JupyterHub you run yourself).

TLJH: install the workbook in the users' environment and the service in the hub's, then drop this
file into /opt/tljh/config/jupyterhub_config.d/ and reload:

    sudo /opt/tljh/user/bin/pip install clinician-workbook
    sudo /opt/tljh/hub/bin/pip install 'clinician-workbook[hub]'
    sudo cp jupyterhub_config.py /opt/tljh/config/jupyterhub_config.d/workbook.py
    sudo tljh-config reload hub

Plain JupyterHub: `jupyterhub -f deploy/jupyterhub_config.py` (set your own authenticator and
spawner; TLJH sets them for you). What it sets up:

- every user's server is `workbook singleuser`: a workspace ~/workbook made on the first login for
  the trainee named like the hub user, never overwritten after, opening on the welcome page
  (WORKBOOK_FRONTEND=app below: on the app instead of JupyterLab);
- the hand-in service `workbook` (python -m clinician_workbook.hub) on 127.0.0.1, started and
  stopped by the hub, reached by browsers at /services/workbook/ and by the users' servers
  directly (WORKBOOK_HUB_URL);
- the roles: the service may read users and groups (who supervises whom), users and their servers
  may call the service (the service itself decides what each may see).

Who supervises whom comes from hub groups: a group per cohort holding its trainees and its
supervisors, plus the group `supervisors` holding every supervisor. Make them in the hub's admin
page (Groups), with the REST API, or here with `c.JupyterHub.load_groups` (example at the end).

Settings, from the hub's environment (defaults in brackets):
  WORKBOOK_HUB_PORT   [10101]  the service's port on 127.0.0.1
  WORKBOOK_HUB_STATE  [the hub's working folder]  where the service keeps workbook-hub.sqlite
  WORKBOOK_HUB_DB     [sqlite in WORKBOOK_HUB_STATE]  e.g. postgresql+psycopg://user@host/db
  WORKBOOK_CONTENT    [the bundled course]  a course folder every new workspace is made from
  WORKBOOK_FRONTEND   [lab]  `app` to open the workbook app (Voilà) instead of JupyterLab
"""

import os
import sys

c = get_config()  # type: ignore[name-defined]  # noqa: F821 (JupyterHub provides it)

PORT = int(os.environ.get("WORKBOOK_HUB_PORT", "10101"))
SERVICE_URL = f"http://127.0.0.1:{PORT}"
STATE = os.environ.get("WORKBOOK_HUB_STATE", os.getcwd())

# -- each user's server: the workbook's own spawn command -------------------------------------
c.Spawner.cmd = ["workbook", "singleuser"]
if os.environ.get("WORKBOOK_FRONTEND") == "app":
    c.Spawner.cmd.append("--app")
c.Spawner.environment = {"WORKBOOK_HUB_URL": f"{SERVICE_URL}/services/workbook/"}
if os.environ.get("WORKBOOK_CONTENT"):
    c.Spawner.environment["WORKBOOK_CONTENT"] = os.environ["WORKBOOK_CONTENT"]
# c.Spawner.default_url stays unset: the workbook lands on its welcome page (or the app's)

# -- the hand-in service --------------------------------------------------------------------
service_env = {"WORKBOOK_HUB_DB": os.environ["WORKBOOK_HUB_DB"]} if os.environ.get("WORKBOOK_HUB_DB") else {}
c.JupyterHub.services = [
    {
        "name": "workbook",
        "url": SERVICE_URL,
        "command": [sys.executable, "-m", "clinician_workbook.hub"],
        "cwd": STATE,
        "environment": service_env,
        "oauth_no_confirm": True,
        "display": True,
    }
]
c.JupyterHub.load_roles = [
    {
        "name": "workbook-service",
        "description": "read users and groups: who supervises whom",
        "scopes": ["list:users", "read:users", "list:groups", "read:groups", "read:users:groups"],
        "services": ["workbook"],
    },
    {
        "name": "user",
        "description": "standard user privileges, and the hand-in service",
        "scopes": ["self", "access:services!service=workbook"],
    },
    {
        "name": "server",
        "description": "a user's server: post activity, hand in and fetch feedback",
        "scopes": ["users:activity!user", "access:servers!server", "access:services!service=workbook"],
    },
]

# -- groups (optional here: the admin page or the REST API do the same) ------------------------
# c.JupyterHub.load_groups = {
#     "cohort-2026": {"users": ["ana", "ben", "dr-okafor"]},
#     "supervisors": {"users": ["dr-okafor"]},
# }
