"""The msgraph-mcp server driven by the official MCP Python SDK client (`mcp` from PyPI).

Usage: python .ci/mcp_check.py target/debug/msgraph-mcp

Spawns the server over stdio against its in-process emulator (MSGRAPH_CLIENT_ID
removed from the environment), lists the tools and calls three of them: whoami,
todo_list_task_lists and todo_create_task. The client validates every
successful result against the tool's outputSchema. Prints "N passed, M failed"
and exits non-zero on any failure.
"""

import asyncio
import datetime
import json
import os
import sys
import time

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

# Every tool issue 19 names: the catalogue must list exactly these.
EXPECTED_TOOLS = sorted(
    """
    mail_read_emails mail_search_emails mail_get_email mail_create_draft mail_send_email mail_reply
    mail_move_email mail_list_folders
    calendar_get_events calendar_create_event calendar_update_event calendar_delete_event
    onedrive_list_files onedrive_read_file onedrive_search_files onedrive_download_file
    onenote_list_notebooks onenote_list_sections onenote_list_pages onenote_get_page onenote_create_page
    onenote_create_page_from_markdown onenote_create_page_from_template onenote_update_page
    onenote_delete_page onenote_search onenote_copy_page onenote_extract_page_text
    todo_list_task_lists todo_get_task_list todo_create_task_list todo_delete_task_list todo_list_tasks
    todo_get_task todo_create_task todo_update_task todo_delete_task
    whoami
    """.split()
)

passed = 0
failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok   {name}")
    else:
        failed += 1
        print(f"FAIL {name} {detail}")


def text_of(result):
    return "".join(getattr(c, "text", "") for c in result.content)


def payload(result):
    """The JSON of a result: structured content, else the text content parsed."""
    if result.structured_content is not None:
        return result.structured_content
    try:
        return json.loads(text_of(result))
    except ValueError:
        return None


async def call(session, name, arguments):
    """Calls a tool; a client-side failure (e.g. output schema validation) is a failed check."""
    try:
        return await session.call_tool(name, arguments)
    except Exception as e:  # noqa: BLE001 - report and go on
        check(f"{name}: call", False, f"{type(e).__name__}: {e}")
        return None


async def run(binary):
    env = {k: v for k, v in os.environ.items() if k not in ("MSGRAPH_CLIENT_ID", "MSGRAPH_TOKEN_CACHE")}
    params = StdioServerParameters(command=binary, args=[], env=env)
    started = time.monotonic()
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            init = await session.initialize()
            check("initialize: server is msgraph-mcp", init.server_info.name == "msgraph-mcp", repr(init.server_info))
            check("initialize: tools capability", init.capabilities.tools is not None)

            listed = await session.list_tools()
            print(f"spawn -> tools/list: {(time.monotonic() - started) * 1000:.0f} ms")
            tools = {t.name: t for t in listed.tools}
            missing = [n for n in EXPECTED_TOOLS if n not in tools]
            extra = sorted(n for n in tools if n not in EXPECTED_TOOLS)
            check(
                f"tools/list: {len(tools)} tools, the {len(EXPECTED_TOOLS)} of the catalogue",
                len(tools) == len(EXPECTED_TOOLS) and not missing and not extra,
                f"missing {missing}, unexpected {extra}",
            )
            bad_schemas = [n for n, t in tools.items() if t.input_schema.get("type") != "object"]
            check("tools/list: every inputSchema is an object schema", not bad_schemas, str(bad_schemas))
            create = tools.get("todo_create_task")
            required = create.input_schema.get("required", []) if create else []
            check("todo_create_task: inputSchema requires title", "title" in required, str(required))
            hints = create.annotations if create else None
            check(
                "todo_create_task: annotated writing, not destructive",
                hints is not None and hints.read_only_hint is False and hints.destructive_hint is False,
                repr(hints),
            )
            lists_tool = tools.get("todo_list_task_lists")
            check(
                "todo_list_task_lists: annotated read-only",
                lists_tool is not None
                and lists_tool.annotations is not None
                and lists_tool.annotations.read_only_hint is True,
            )

            me = await call(session, "whoami", {})
            if me is not None:
                data = payload(me) or {}
                check("whoami", not me.is_error and data.get("user_principal_name") == "AdeleV@contoso.com", text_of(me))

            lists = await call(session, "todo_list_task_lists", {})
            list_id = None
            if lists is not None:
                data = payload(lists) or {}
                default = [l for l in data.get("lists", []) if l.get("wellknown_list_name") == "defaultList"]
                check("todo_list_task_lists: has the Tasks list", not lists.is_error and bool(default), text_of(lists))
                list_id = default[0]["id"] if default else None

            if list_id:
                due = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
                args = {"list_id": list_id, "title": "Buy groceries", "due_date": due}
                created = await call(session, "todo_create_task", args)
                if created is not None:
                    data = payload(created) or {}
                    check(
                        "todo_create_task",
                        not created.is_error and data.get("title") == "Buy groceries" and data.get("due_date") == due,
                        text_of(created),
                    )

            bad = await call(session, "todo_create_task", {"list_id": list_id or "x", "title": "x", "due_date": "soon"})
            if bad is not None:
                check("todo_create_task with a bad date: isError with a message", bad.is_error and "due_date" in text_of(bad), text_of(bad))
            unknown = await call(session, "no_such_tool", {})
            if unknown is not None:
                check("an unknown tool: isError", unknown.is_error, text_of(unknown))


def main():
    if len(sys.argv) != 2:
        print("usage: mcp_check.py PATH/TO/msgraph-mcp", file=sys.stderr)
        return 2
    try:
        asyncio.run(asyncio.wait_for(run(sys.argv[1]), timeout=120))
    except Exception as e:  # noqa: BLE001 - a crash is a failure, reported as one
        check("session", False, f"{type(e).__name__}: {e}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
