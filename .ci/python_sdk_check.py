#!/usr/bin/env python3
"""Microsoft's own Python SDK (msgraph-sdk from PyPI) drives the emulator binary.

Usage: python_sdk_check.py [path/to/msgraph-emulator]

Starts the emulator on a free port (--port 0), reads its base URL and the
demo user's access token from what it prints, then runs each check below
through GraphServiceClient. Prints one line per check, then
"N passed, M failed"; exits non-zero on any failure.
"""

import asyncio
import datetime as dt
import os
import re
import subprocess
import sys
import time
import traceback

from azure.core.credentials import AccessToken
from kiota_abstractions.base_request_configuration import RequestConfiguration
from msgraph import GraphRequestAdapter, GraphServiceClient
from msgraph.generated.models.attendee import Attendee
from msgraph.generated.models.attendee_type import AttendeeType
from msgraph.generated.models.body_type import BodyType
from msgraph.generated.models.date_time_time_zone import DateTimeTimeZone
from msgraph.generated.models.email_address import EmailAddress
from msgraph.generated.models.drive_item import DriveItem
from msgraph.generated.models.event import Event
from msgraph.generated.models.file import File
from msgraph.generated.models.item_body import ItemBody
from msgraph.generated.models.mail_folder import MailFolder
from msgraph.generated.models.message import Message
from msgraph.generated.models.o_data_errors.o_data_error import ODataError
from msgraph.generated.models.online_meeting_provider_type import OnlineMeetingProviderType
from msgraph.generated.models.recipient import Recipient
from msgraph.generated.models.todo_task import TodoTask
from msgraph.generated.users.item.calendar_view.calendar_view_request_builder import CalendarViewRequestBuilder
from msgraph.generated.users.item.mail_folders.mail_folders_request_builder import MailFoldersRequestBuilder
from msgraph.generated.users.item.messages.item.move.move_post_request_body import MovePostRequestBody
from msgraph.generated.users.item.messages.messages_request_builder import MessagesRequestBuilder
from msgraph.generated.users.item.send_mail.send_mail_post_request_body import SendMailPostRequestBody
from msgraph_core.authentication import AzureIdentityAuthenticationProvider
from msgraph_core.tasks.page_iterator import PageIterator

SECOND_USER = "MeganB@contoso.com"


class StaticToken:
    """A TokenCredential (async) that hands out the emulator's token."""

    def __init__(self, token: str):
        self.token = token

    async def get_token(self, *scopes, **kwargs) -> AccessToken:
        return AccessToken(self.token, int(time.time()) + 3000)

    async def close(self):
        pass

    async def __aenter__(self):
        return self

    async def __aexit__(self, *args):
        pass


def start_emulator(binary: str):
    proc = subprocess.Popen(
        [binary, "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1
    )
    base, token = None, None
    deadline = time.time() + 60
    while time.time() < deadline and (base is None or token is None):
        line = proc.stdout.readline()
        if not line:
            raise RuntimeError(f"the emulator exited (status {proc.poll()}) before printing its URL")
        if m := re.search(r"Graph base URL\s+(\S+)", line):
            base = m.group(1)
        if m := re.search(r"Access token\s+(\S+)", line):
            token = m.group(1)
    if base is None or token is None:
        proc.kill()
        raise RuntimeError("the emulator did not print its base URL and token in time")
    return proc, base, token


def client_for(base: str, token: str) -> GraphServiceClient:
    auth = AzureIdentityAuthenticationProvider(
        StaticToken(token), scopes=["https://graph.microsoft.com/.default"], allowed_hosts=["127.0.0.1", "localhost"]
    )
    adapter = GraphRequestAdapter(auth)
    adapter.base_url = base
    return GraphServiceClient(request_adapter=adapter)


def msg_query(**kw):
    return RequestConfiguration(query_parameters=MessagesRequestBuilder.MessagesRequestBuilderGetQueryParameters(**kw))


class Checks:
    def __init__(self, client: GraphServiceClient):
        self.g = client
        self.passed = 0
        self.failed = 0
        self.state = {}

    async def run(self, name, fn):
        try:
            await fn()
            self.passed += 1
            print(f"ok    {name}", flush=True)
        except Exception as e:  # noqa: BLE001 - every failure is reported
            self.failed += 1
            detail = e.error.message if isinstance(e, ODataError) and e.error else repr(e)
            print(f"FAIL  {name}: {detail}", flush=True)
            traceback.print_exc(limit=3, file=sys.stdout)

    # ------------------------------------------------------------------ mail

    async def me(self):
        me = await self.g.me.get()
        assert me.user_principal_name == "AdeleV@contoso.com", me.user_principal_name
        assert me.display_name == "Adele Vance", me.display_name
        self.state["me"] = me

    async def filter_select_top(self):
        page = await self.g.me.messages.get(
            request_configuration=msg_query(filter="isRead eq false", select=["subject", "isRead"], top=3)
        )
        assert page.value, "no unread message"
        assert len(page.value) <= 3, len(page.value)
        for m in page.value:
            assert m.is_read is False, m.is_read
            assert m.subject is not None
            assert m.body is None, "body not selected, yet returned"
        assert page.odata_next_link, "more than 3 unread messages: a nextLink is expected"

    async def paging(self):
        first = await self.g.me.messages.get(request_configuration=msg_query(top=5, select=["subject"]))
        total = await self.g.me.messages.get(request_configuration=msg_query(top=1000, select=["id"]))
        seen = []

        def take(m):
            seen.append(m.id)
            return True

        it = PageIterator(first, self.g.request_adapter)
        await it.iterate(take)
        assert len(seen) == len(total.value), (len(seen), len(total.value))
        assert len(set(seen)) == len(seen), "an id came twice"
        assert len(seen) > 5, "only one page"
        self.state["some_id"] = seen[0]

    async def get_by_id(self):
        mid = self.state["some_id"]
        m = await self.g.me.messages.by_message_id(mid).get()
        assert m.id == mid
        assert m.body is not None and m.body.content is not None

    async def missing_id(self):
        try:
            await self.g.me.messages.by_message_id("AAMkAGI2-no-such-message").get()
        except ODataError as e:
            assert e.response_status_code == 404, e.response_status_code
            assert e.error.code == "ErrorItemNotFound", e.error.code
            return
        raise AssertionError("a missing id did not fail")

    async def send_mail(self):
        subject = f"py-sdk sendMail {time.time()}"
        body = SendMailPostRequestBody(
            message=Message(
                subject=subject,
                body=ItemBody(content_type=BodyType.Text, content="from msgraph-sdk"),
                to_recipients=[Recipient(email_address=EmailAddress(address=SECOND_USER))],
            ),
            save_to_sent_items=True,
        )
        await self.g.me.send_mail.post(body)
        sent = await self.g.me.mail_folders.by_mail_folder_id("sentitems").messages.get(
            request_configuration=msg_query(filter=f"subject eq '{subject}'")
        )
        assert len(sent.value) == 1, len(sent.value)

    async def draft_patch(self):
        draft = await self.g.me.messages.post(Message(subject="py-sdk draft", is_read=False))
        assert draft.is_draft is True
        patched = await self.g.me.messages.by_message_id(draft.id).patch(
            Message(subject="py-sdk draft (edited)", body=ItemBody(content_type=BodyType.Html, content="<p>hi</p>"))
        )
        assert patched.subject == "py-sdk draft (edited)", patched.subject
        again = await self.g.me.messages.by_message_id(draft.id).get()
        assert again.subject == "py-sdk draft (edited)"
        assert again.body.content_type == BodyType.Html
        self.state["draft"] = draft.id

    async def folders_expand(self):
        cfg = RequestConfiguration(
            query_parameters=MailFoldersRequestBuilder.MailFoldersRequestBuilderGetQueryParameters(
                expand=["childFolders"], top=100
            )
        )
        folders = await self.g.me.mail_folders.get(request_configuration=cfg)
        names = {f.display_name for f in folders.value}
        assert {"Inbox", "Drafts", "Sent Items"} <= names, names
        inbox = next(f for f in folders.value if f.display_name == "Inbox")
        assert inbox.child_folders is not None, "childFolders not expanded"
        assert len(inbox.child_folders) == (inbox.child_folder_count or 0), inbox.child_folder_count

    async def create_folders(self):
        parent = await self.g.me.mail_folders.post(MailFolder(display_name=f"py-sdk {time.time()}"))
        child = await self.g.me.mail_folders.by_mail_folder_id(parent.id).child_folders.post(
            MailFolder(display_name="child")
        )
        assert child.parent_folder_id == parent.id
        kids = await self.g.me.mail_folders.by_mail_folder_id(parent.id).child_folders.get()
        assert [k.id for k in kids.value] == [child.id]
        self.state["folder"] = child.id

    async def move(self):
        # The SDK sends {"DestinationId": ...}: Graph takes action parameter names in any case.
        moved = await self.g.me.messages.by_message_id(self.state["draft"]).move.post(
            MovePostRequestBody(destination_id=self.state["folder"])
        )
        assert moved.parent_folder_id == self.state["folder"], moved.parent_folder_id
        to_archive = await self.g.me.messages.by_message_id(moved.id).move.post(
            MovePostRequestBody(destination_id="archive")
        )
        archive = await self.g.me.mail_folders.by_mail_folder_id("archive").get()
        assert to_archive.parent_folder_id == archive.id

    async def delta(self):
        inbox = self.g.me.mail_folders.by_mail_folder_id("inbox").messages.delta
        cfg = RequestConfiguration()
        cfg.headers.add("Prefer", "odata.maxpagesize=4")
        page = await inbox.get(request_configuration=cfg)
        ids, pages = [], 1
        while page.odata_next_link:
            ids += [m.id for m in page.value]
            page = await inbox.with_url(page.odata_next_link).get(request_configuration=cfg)
            pages += 1
        ids += [m.id for m in page.value]
        assert pages > 1, "one page only"
        assert page.odata_delta_link, "no deltaLink at the end of the round"
        inbox_count = (await self.g.me.mail_folders.by_mail_folder_id("inbox").get()).total_item_count
        assert len(set(ids)) == inbox_count, (len(set(ids)), inbox_count)
        # Second round: nothing changed, then one message arrives and one is read.
        empty = await inbox.with_url(page.odata_delta_link).get()
        assert empty.value == [], [m.id for m in empty.value]
        await self.g.me.messages.by_message_id(ids[0]).patch(Message(is_read=True))
        await self.g.me.send_mail.post(
            SendMailPostRequestBody(
                message=Message(
                    subject="py-sdk delta to self",
                    to_recipients=[Recipient(email_address=EmailAddress(address="AdeleV@contoso.com"))],
                )
            )
        )
        changes = await inbox.with_url(empty.odata_delta_link).get()
        changed = {m.id for m in changes.value}
        assert ids[0] in changed, "the read message is not in the second round"
        assert any(m.subject == "py-sdk delta to self" for m in changes.value), "the new message is missing"
        assert changes.odata_delta_link

    async def malformed_filter(self):
        try:
            await self.g.me.messages.get(request_configuration=msg_query(filter="isRead eq"))
        except ODataError as e:
            assert e.response_status_code == 400, e.response_status_code
            assert e.error.code, "no error code"
            return
        raise AssertionError("a malformed $filter was accepted")

    # -------------------------------------------------------------- calendar

    async def event(self):
        start = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=2)).replace(
            hour=17, minute=0, second=0, microsecond=0
        )
        ev = Event(
            subject="py-sdk sync",
            start=DateTimeTimeZone(date_time=start.strftime("%Y-%m-%dT%H:%M:%S"), time_zone="UTC"),
            end=DateTimeTimeZone(
                date_time=(start + dt.timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M:%S"), time_zone="UTC"
            ),
            attendees=[
                Attendee(email_address=EmailAddress(address=SECOND_USER, name="Megan Bowen"), type=AttendeeType.Required)
            ],
            is_online_meeting=True,
            online_meeting_provider=OnlineMeetingProviderType.TeamsForBusiness,
        )
        created = await self.g.me.events.post(ev)
        assert created.id and created.subject == "py-sdk sync"
        assert [a.email_address.address for a in created.attendees] == [SECOND_USER]
        assert created.is_online_meeting is True
        assert created.online_meeting and created.online_meeting.join_url, "no Teams join URL"
        self.state["event"] = (created.id, start)

    async def event_patch_delete(self):
        eid, _ = self.state["event"]
        patched = await self.g.me.events.by_event_id(eid).patch(Event(subject="py-sdk sync (moved)"))
        assert patched.subject == "py-sdk sync (moved)"
        got = await self.g.me.events.by_event_id(eid).get()
        assert got.subject == "py-sdk sync (moved)"
        await self.g.me.events.by_event_id(eid).delete()
        try:
            await self.g.me.events.by_event_id(eid).get()
        except ODataError as e:
            assert e.response_status_code == 404
            return
        raise AssertionError("a deleted event is still there")

    async def calendar_view(self):
        now = dt.datetime.now(dt.timezone.utc)
        qp = CalendarViewRequestBuilder.CalendarViewRequestBuilderGetQueryParameters(
            start_date_time=(now - dt.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            end_date_time=(now + dt.timedelta(days=14)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            top=100,
        )
        cfg = RequestConfiguration(query_parameters=qp)
        cfg.headers.add("Prefer", 'outlook.timezone="Pacific Standard Time"')
        view = await self.g.me.calendar_view.get(request_configuration=cfg)
        assert view.value, "an empty calendar view"
        for e in view.value:
            assert e.start.time_zone == "Pacific Standard Time", e.start.time_zone
            assert e.end.time_zone == "Pacific Standard Time"

    async def mailbox_settings(self):
        s = await self.g.me.mailbox_settings.get()
        assert s.time_zone == "Pacific Standard Time", s.time_zone
        assert s.working_hours is not None

    # ----------------------------------------------------------------- drive

    async def drive(self):
        drive = await self.g.me.drive.get()
        items = self.g.drives.by_drive_id(drive.id).items
        name = f"py-sdk-{int(time.time())}.txt"
        data = b"hello from msgraph-sdk\n" * 10
        # The SDK has no path-addressing builder (it would percent-encode "root:/name:"): create, then PUT content.
        empty = await items.by_drive_item_id("root").children.post(DriveItem(name=name, file=File()))
        uploaded = await items.by_drive_item_id(empty.id).content.put(data)
        assert uploaded.id == empty.id
        assert uploaded.name == name and uploaded.size == len(data), (uploaded.name, uploaded.size)
        children = await items.by_drive_item_id("root").children.get()
        assert name in [c.name for c in children.value]
        got = await items.by_drive_item_id(uploaded.id).content.get()
        assert got == data, got[:40]

    # ------------------------------------------------------------------ To Do

    async def todo(self):
        lists = await self.g.me.todo.lists.get()
        default = [l for l in lists.value if l.wellknown_list_name and l.wellknown_list_name.value == "defaultList"]
        assert default, [l.display_name for l in lists.value]
        tasks = self.g.me.todo.lists.by_todo_task_list_id(default[0].id).tasks
        created = await tasks.post(TodoTask(title="py-sdk task"))
        assert created.title == "py-sdk task"
        listed = await tasks.get()
        assert created.id in [t.id for t in listed.value]


async def main(binary: str) -> int:
    proc, base, token = start_emulator(binary)
    try:
        c = Checks(client_for(base, token))
        for name, fn in [
            ("/me", c.me),
            ("messages $filter/$select/$top", c.filter_select_top),
            ("paging with PageIterator", c.paging),
            ("message by id", c.get_by_id),
            ("missing id: 404 ErrorItemNotFound", c.missing_id),
            ("sendMail", c.send_mail),
            ("draft + PATCH", c.draft_patch),
            ("folders $expand=childFolders", c.folders_expand),
            ("create folder and subfolder", c.create_folders),
            ("move (DestinationId)", c.move),
            ("inbox delta: nextLink, deltaLink, second round", c.delta),
            ("malformed $filter: 400", c.malformed_filter),
            ("event with attendees and a Teams meeting", c.event),
            ("PATCH and DELETE event", c.event_patch_delete),
            ("calendarView with Prefer: outlook.timezone", c.calendar_view),
            ("mailbox settings", c.mailbox_settings),
            ("drive: upload, list children, download", c.drive),
            ("To Do: lists, create task", c.todo),
        ]:
            await c.run(name, fn)
        print(f"{c.passed} passed, {c.failed} failed", flush=True)
        return 1 if c.failed else 0
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


if __name__ == "__main__":
    default = os.path.join(os.path.dirname(__file__), "..", "target", "debug", "msgraph-emulator")
    sys.exit(asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else default)))
