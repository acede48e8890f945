"""An independent SCIM 2.0 conformance check of a running Huddle: scim2-tester (PyPI)
discovers the server from its ServiceProviderConfig, ResourceTypes and Schemas, then
creates, reads, queries, replaces, patches and deletes Users and Groups as the RFCs say.

Usage: scim_check.py BASE_URL BEARER_SECRET
Prints one JSON object per line: {"title", "status", "reason", "resource_type"}.
"""

import json
import sys

from httpx2 import Client
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import check_server


def main() -> None:
    url, secret = sys.argv[1], sys.argv[2]
    http = Client(base_url=url, headers={"Authorization": f"Bearer {secret}"}, timeout=30)
    client = SyncSCIMClient(http)
    for result in check_server(client):
        print(
            json.dumps(
                {
                    "title": result.title,
                    "status": result.status.name,
                    "reason": result.reason,
                    "resource_type": getattr(result, "resource_type", None),
                    "data": None if result.status.name == "SUCCESS" else str(result.data)[:2000],
                }
            ),
            flush=True,
        )


if __name__ == "__main__":
    main()
