"""The hand-in and feedback service a training programme's JupyterHub runs (``python -m clinician_workbook.hub``).

access    who may see whom: hub admins, the supervisors group and cohort groups, read from the hub
storage   hand-ins (every attempt, as received) and supervisors' feedback rows, SQLAlchemy Core
service   the tornado app: JSON routes and one HTML page, authenticated by JupyterHub (HubOAuth)
__main__  the command JupyterHub starts as a managed service: options, env, logging, listen

Nothing here is imported by the single-user workbook: jupyterhub and SQLAlchemy are the ``hub`` extra.
"""
