"""Drives Graphloop's /store endpoints with LangGraph's real Python SDK (langgraph_sdk 0.4.5); run by
io.graphloop.server.StoreSdkTest. With two API keys given, also checks that each user sees only their own items.

Usage: python sdk_store.py BASE_URL [KEY_A KEY_B]
Prints "ok <flow>" per flow that passed; exits 1 with the failing assertion otherwise.
"""
import asyncio
import sys
import uuid

from langgraph_sdk import get_client
from langgraph_sdk.errors import UnprocessableEntityError

BASE = sys.argv[1]
KEYS = sys.argv[2:4]


def check(condition, message):
    if not condition:
        raise AssertionError(message)


async def items(client, root):
    await client.store.put_item([root, "users", "alice"], "tea", {"likes": "tea", "n": 1})
    await client.store.put_item([root, "users", "alice"], "city", {"lives": "Lyon", "n": 2})
    await client.store.put_item([root, "users", "bob"], "tea", {"likes": "coffee", "n": 3})
    got = await client.store.get_item([root, "users", "alice"], "tea")
    check(got["value"] == {"likes": "tea", "n": 1}, f"get_item: {got}")
    check(got["namespace"] == [root, "users", "alice"] and got["key"] == "tea", f"get_item ids: {got}")
    check(got["created_at"] and got["updated_at"], f"get_item times: {got}")
    missing = await client.store.get_item([root, "users", "nobody"], "x")
    check(missing is None, f"a missing item is null, as the reference server: {missing}")
    found = await client.store.search_items([root, "users"], limit=10)
    check(sorted((i["namespace"][-1], i["key"]) for i in found["items"])
          == [("alice", "city"), ("alice", "tea"), ("bob", "tea")], f"search_items: {found}")
    filtered = await client.store.search_items([root, "users"], filter={"n": {"$gte": 2}})
    check(sorted(i["key"] + "/" + i["namespace"][-1] for i in filtered["items"]) == ["city/alice", "tea/bob"],
          f"search_items filter: {filtered}")
    page = await client.store.search_items([root], limit=1, offset=1)
    check(len(page["items"]) == 1, f"search_items page: {page}")
    namespaces = await client.store.list_namespaces(prefix=[root])
    check(namespaces["namespaces"] == [[root, "users", "alice"], [root, "users", "bob"]], f"list_namespaces: {namespaces}")
    shallow = await client.store.list_namespaces(prefix=[root], max_depth=2)
    check(shallow["namespaces"] == [[root, "users"]], f"list_namespaces max_depth: {shallow}")
    await client.store.delete_item([root, "users", "bob"], "tea")
    check(await client.store.get_item([root, "users", "bob"], "tea") is None, "delete_item")
    print("ok items")


async def errors(client, root):
    try:
        await client.store.search_items([root], filter={"n": {"$near": 1}})
        raise AssertionError("an unknown filter operator was accepted")
    except UnprocessableEntityError as e:
        check("$near" in str(e), f"unknown operator message: {e}")
    try:
        await client.store.put_item(["langgraph", root], "k", {"v": 1})
        raise AssertionError("the reserved root label was accepted")
    except UnprocessableEntityError as e:
        check("langgraph" in str(e), f"reserved root message: {e}")
    print("ok errors")


async def owners(root):
    alice = get_client(url=BASE, api_key=KEYS[0])
    bob = get_client(url=BASE, api_key=KEYS[1])
    await alice.store.put_item([root, "notes"], "secret", {"text": "alice's"})
    check((await alice.store.get_item([root, "notes"], "secret"))["value"] == {"text": "alice's"}, "owner reads")
    check(await bob.store.get_item([root, "notes"], "secret") is None, "another user does not see the item")
    check((await bob.store.search_items([root]))["items"] == [], "another user's search is empty")
    check((await bob.store.list_namespaces(prefix=[root]))["namespaces"] == [], "another user's namespaces")
    await bob.store.put_item([root, "notes"], "secret", {"text": "bob's"})
    check((await alice.store.get_item([root, "notes"], "secret"))["value"] == {"text": "alice's"},
          "a same-named item of another user is another item")
    listed = await alice.store.list_namespaces(prefix=[root])
    check(listed["namespaces"] == [[root, "notes"]], f"the owner sees its namespace without a hidden label: {listed}")
    print("ok owners")


async def main():
    root = "sdk" + uuid.uuid4().hex
    if KEYS:
        await owners(root)
        return
    client = get_client(url=BASE, api_key=None)
    await items(client, root)
    await errors(client, root)


asyncio.run(main())
