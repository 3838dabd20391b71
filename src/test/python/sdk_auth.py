"""Auth refusals through LangGraph's real Python SDK (langgraph_sdk 0.4.5); run by io.graphloop.server.PythonSdkAuthTest
against a ServerFixture started with two API keys.

Usage: python sdk_auth.py BASE_URL KEY_A KEY_B
Prints one line "ok <flow>" per flow that passed; exits 1 with the failing assertion otherwise.
"""
import asyncio
import sys

import httpx

from langgraph_sdk import get_client
from langgraph_sdk.errors import AuthenticationError, NotFoundError

BASE, KEY_A, KEY_B = sys.argv[1], sys.argv[2], sys.argv[3]


def check(condition, message):
    if not condition:
        raise AssertionError(message)


async def refused(call, error, fragment):
    """The call fails with the SDK's error class for the status (most calls), or, where the SDK raises httpx's own
    HTTPStatusError (runs.wait in 0.4.5), with that status; either way the server's detail names `fragment`."""
    status = {AuthenticationError: 401, NotFoundError: 404}[error]
    try:
        await call
    except httpx.HTTPStatusError as e:
        check(e.response.status_code == status, f"expected {status}, got {e.response.status_code}: {e}")
        check(isinstance(e, error) or type(e) is httpx.HTTPStatusError, f"expected {error.__name__}: {type(e)}")
        detail = e.response.json()["detail"]
        check(fragment in detail, f"{error.__name__} should say {fragment!r}: {detail}")
        return
    raise AssertionError(f"expected {error.__name__}")


async def main():
    # api_key=None: no key at all (not even LANGGRAPH_API_KEY from the environment)
    anonymous = get_client(url=BASE, api_key=None)
    await refused(anonymous.threads.search(), AuthenticationError, "Authentication required")
    await refused(anonymous.runs.wait(None, "echo", input={"in": "x"}), AuthenticationError, "x-api-key")
    wrong = get_client(url=BASE, api_key="not-a-key")
    await refused(wrong.assistants.search(), AuthenticationError, "not valid")
    print("ok refusals")

    alice = get_client(url=BASE, api_key=KEY_A)
    bob = get_client(url=BASE, api_key=KEY_B)
    thread = await alice.threads.create(metadata={"topic": "sdk-auth"})
    tid = thread["thread_id"]
    result = await alice.runs.wait(tid, "echo", input={"in": "hi"})
    check(result["out"] == "hi!", f"alice's run: {result}")
    await refused(bob.threads.get(tid), NotFoundError, tid)
    await refused(bob.threads.get_state(tid), NotFoundError, tid)
    await refused(bob.threads.get_history(tid), NotFoundError, tid)
    await refused(bob.threads.update(tid, metadata={"x": 1}), NotFoundError, tid)
    await refused(bob.runs.wait(tid, "echo", input={"in": "x"}), NotFoundError, tid)
    await refused(bob.threads.delete(tid), NotFoundError, tid)
    found = await bob.threads.search(metadata={"topic": "sdk-auth"})
    check(found == [], f"bob's search lists alice's thread: {found}")
    runs = await alice.runs.list(tid)
    check(len(runs) == 1, f"alice's runs: {runs}")
    await refused(bob.runs.get(tid, runs[0]["run_id"]), NotFoundError, tid)
    await refused(bob.runs.join(tid, runs[0]["run_id"]), NotFoundError, tid)
    state = await alice.threads.get_state(tid)
    check(state["values"] == {"in": "hi", "out": "hi!"}, f"alice's state: {state}")
    print("ok ownership")


asyncio.run(main())
