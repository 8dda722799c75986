"""A small HTTP/1.1 reverse proxy for the multi-instance test (Python standard library only).

Requests under /sandbox/ go to the process that runs the simulated providers (they are "other companies",
one of each); every other request goes to the next Drop instance in turn. One request per connection
(`Connection: close` both ways), bodies and answers streamed, so server-sent events pass through.
The test can hold requests to a path prefix (to catch a worker mid-call) and reads which instance
answered what.
"""

import asyncio
import itertools
import threading


class RoundRobinProxy:
    def __init__(self, instances, providers):
        """`instances`: {name: port} of the Drop servers; `providers`: port of the sandbox process."""
        self.instances = list(instances.items())
        self.providers = providers
        self._next = itertools.cycle(self.instances)
        self.served = []          # (method, path, instance name)
        self.held = []            # paths of requests waiting at a hold
        self.errors = []          # what went wrong inside the proxy, for the test's report
        self._holds = {}          # prefix -> asyncio.Event
        self._loop = asyncio.new_event_loop()
        self._lock = threading.Lock()
        self.port = None

    # -- control (from the test's thread) ------------------------------------------------------

    def start(self):
        ready = threading.Event()

        def run():
            asyncio.set_event_loop(self._loop)
            server = self._loop.run_until_complete(asyncio.start_server(self._handle, "127.0.0.1", 0))
            self.port = server.sockets[0].getsockname()[1]
            ready.set()
            self._loop.run_forever()

        threading.Thread(target=run, daemon=True).start()
        ready.wait(10)
        return self.port

    def hold(self, prefix):
        """Requests whose path starts with `prefix` wait until `release(prefix)`."""
        self._loop.call_soon_threadsafe(lambda: self._holds.setdefault(prefix, asyncio.Event()))

    def release(self, prefix):
        def go():
            event = self._holds.pop(prefix, None)
            if event:
                event.set()
        self._loop.call_soon_threadsafe(go)

    def served_by(self, predicate):
        with self._lock:
            return [name for (method, path, name) in self.served if predicate(method, path)]

    # -- the proxy -----------------------------------------------------------------------------

    @staticmethod
    async def _chunked_body(reader):
        """The raw chunked body, terminating chunk and trailers included (relayed as it came)."""
        raw = b""
        while True:
            size_line = await reader.readuntil(b"\r\n")
            raw += size_line
            size = int(size_line.split(b";")[0].strip(), 16)
            if size == 0:
                while True:
                    trailer = await reader.readuntil(b"\r\n")
                    raw += trailer
                    if trailer == b"\r\n":
                        return raw
            raw += await reader.readexactly(size + 2)

    async def _handle(self, reader, writer):
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            writer.close()
            return
        lines = head.decode("latin-1").split("\r\n")
        method, target, version = lines[0].split(" ", 2)
        headers = [line for line in lines[1:] if line and not line.lower().startswith("connection:")]
        length = next((int(h.split(":", 1)[1]) for h in headers if h.lower().startswith("content-length:")), 0)
        chunked = any(h.lower().startswith("transfer-encoding:") and "chunked" in h.lower() for h in headers)
        try:
            body = await (self._chunked_body(reader) if chunked else reader.readexactly(length)) if (chunked or length) else b""
        except (asyncio.IncompleteReadError, ConnectionError, ValueError) as error:
            self.errors.append("%s %s: reading the body: %r" % (method, target, error))
            writer.close()
            return

        if target.startswith("/sandbox/"):
            name, port = "providers", self.providers
        else:
            with self._lock:
                name, port = next(self._next)
        with self._lock:
            self.served.append((method, target, name))
        for prefix, event in list(self._holds.items()):
            if target.startswith(prefix):
                with self._lock:
                    self.held.append(target)
                await event.wait()

        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError as error:
            self.errors.append("%s %s: connecting to %s: %r" % (method, target, name, error))
            writer.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            await writer.drain()
            writer.close()
            return
        request = "\r\n".join(["%s %s %s" % (method, target, version)] + headers + ["Connection: close", "", ""])
        up_writer.write(request.encode("latin-1") + body)
        await up_writer.drain()
        try:
            # The client must not keep the connection for another request: this proxy answers one per connection.
            response_head = await up_reader.readuntil(b"\r\n\r\n")
            response_lines = [line for line in response_head.decode("latin-1").split("\r\n")
                              if line and not line.lower().startswith("connection:")]
            writer.write("\r\n".join(response_lines + ["Connection: close", "", ""]).encode("latin-1"))
            while True:
                chunk = await up_reader.read(65536)
                if not chunk:
                    break
                writer.write(chunk)
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError) as error:
            self.errors.append("%s %s: relaying the answer: %r" % (method, target, error))
        finally:
            up_writer.close()
            writer.close()
