"""Uploads benchmark (not a test): what an upload costs the web worker that receives it.

Starts the app under gunicorn (one worker, the development settings on a throw-away SQLite database
and media folder, tasks queued in the database and not run: the worker is not started, so every
figure is the web worker's alone), signs in to the admin and uploads, one at a time:

- a 200 MB PDF (one page and a 200 MB image stream): the request's wall time;
- the hostile files: a 74 KB PDF of 400 pages sharing one content stream, a PDF whose
  content stream inflates to 60 MB of operators, a 200 MB PDF with a broken cross-reference table
  (pypdf reads all of it to rebuild one), a 0.2 MB PNG of 7,999 x 7,999 pixels, and a PNG at the
  24-megapixel limit followed by a GET of its admin page (which makes two renditions in the request
  while the worker has not yet made them).

For each: the HTTP status, the request's wall time, and how far the web worker's peak memory
(VmHWM, reset before each upload) rose above its memory before the upload.

    python bench/uploads.py            # prints a table for docs/benchmarks.md
"""

import http.cookiejar
import io
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PYTHON = sys.executable
PORT = int(os.environ.get("BENCH_UPLOAD_PORT", "8791"))
BASE = f"http://127.0.0.1:{PORT}"


def big_pdf(path, megabytes=200):
    """A valid PDF of about ``megabytes`` MB: one page, one uncompressed image stream."""
    size = megabytes * 1024 * 1024
    with open(path, "wb") as out:
        objects = []

        def write_object(body):
            objects.append(out.tell())
            out.write(f"{len(objects)} 0 obj\n".encode() + body + b"\nendobj\n")

        out.write(b"%PDF-1.4\n")
        write_object(b"<< /Type /Catalog /Pages 2 0 R >>")
        write_object(b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
        write_object(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /XObject << /Im1 4 0 R >> >> >>"
        )
        objects.append(out.tell())
        side = int((size / 3) ** 0.5)
        out.write(
            f"4 0 obj\n<< /Type /XObject /Subtype /Image /Width {side} /Height {side} "
            f"/ColorSpace /DeviceRGB /BitsPerComponent 8 /Length {side * side * 3} >>\n"
            "stream\n".encode()
        )
        chunk = os.urandom(1024 * 1024)
        remaining = side * side * 3
        while remaining:
            out.write(chunk[: min(len(chunk), remaining)])
            remaining -= min(len(chunk), remaining)
        out.write(b"\nendstream\nendobj\n")
        xref = out.tell()
        out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
        for offset in objects:
            out.write(f"{offset:010d} 00000 n \n".encode())
        trailer = f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
        out.write(trailer.encode())


def broken_xref(source, path):
    """The same file with its cross-reference offset pointing nowhere."""
    data = Path(source).read_bytes()
    data = re.sub(rb"startxref\n\d+", b"startxref\n999", data)
    Path(path).write_bytes(data)


def png(path, width, height):
    from PIL import Image

    Image.new("RGB", (width, height), "white").save(path, "PNG")


def hostile_pdfs(directory):
    from tests.pdf_samples import memory_hungry_pdf, shared_stream_pdf

    shared = directory / "shared-stream.pdf"
    shared.write_bytes(shared_stream_pdf(pages=400, lines=2_000))
    hungry = directory / "memory-hungry.pdf"
    hungry.write_bytes(memory_hungry_pdf())
    return shared, hungry


class Admin:
    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def csrf(self, url):
        page = self.opener.open(BASE + url).read().decode()
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    def login(self, username, password):
        token = self.csrf("/admin/login/")
        data = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "username": username, "password": password}
        ).encode()
        self.opener.open(urllib.request.Request(BASE + "/admin/login/", data=data))

    def get(self, url):
        try:
            response = self.opener.open(BASE + url)
            response.read()
            return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def upload(self, url, path, content_type, title):
        token = self.csrf(url)
        boundary = "----bench" + os.urandom(8).hex()
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
            f'{token}\r\n--{boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\n'
            f'{title}\r\n--{boundary}\r\nContent-Disposition: form-data; name="description"'
            f"\r\n\r\nbenchmark\r\n--{boundary}\r\nContent-Disposition: form-data; "
            f'name="collection"\r\n\r\n1\r\n--{boundary}\r\nContent-Disposition: form-data; '
            f'name="file"; filename="{Path(path).name}"\r\nContent-Type: {content_type}\r\n\r\n'
        ).encode()
        tail = f"\r\n--{boundary}--\r\n".encode()
        size = len(head) + os.path.getsize(path) + len(tail)
        body = Body(head, path, tail)
        request = urllib.request.Request(
            BASE + url,
            data=body,
            headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Content-Length": str(size),
                "Referer": BASE + url,
            },
        )
        try:
            response = self.opener.open(request, timeout=300)
            answered = time.monotonic()
            response.read()
            return response.status, response.url, answered - body.finished
        except urllib.error.HTTPError as error:
            return error.code, url, time.monotonic() - body.finished


class Body(io.RawIOBase):
    """A multipart body read from disk as it is sent (the 200 MB file is never in memory)."""

    def __init__(self, head, path, tail):
        self.parts = [io.BytesIO(head), open(path, "rb"), io.BytesIO(tail)]  # noqa: SIM115
        self.finished = None  # when the last byte was handed to the connection

    def readable(self):
        return True

    def read(self, size=-1):
        while self.parts:
            data = self.parts[0].read(size if size and size > 0 else 1024 * 1024)
            if data:
                return data
            self.parts.pop(0).close()
        self.finished = self.finished or time.monotonic()
        return b""


def worker_pid(master):
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return int(children[0])


def memory(pid, field):
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(rf"{field}:\s+(\d+)", status).group(1)) // 1024


def measure(pid, action):
    Path(f"/proc/{pid}/clear_refs").write_text("5")  # reset the peak (VmHWM)
    before = memory(pid, "VmRSS")
    started = time.monotonic()
    outcome = action()
    elapsed = time.monotonic() - started
    return outcome, elapsed, memory(pid, "VmHWM") - before


def main():
    work = Path(tempfile.mkdtemp(prefix="bench-uploads-"))
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": f"sqlite:///{work / 'db.sqlite3'}",
        "MEDIA_ROOT": str(work / "media"),
        "DEBUG": "false",
        "PYTHONPATH": str(ROOT),
    }
    run = dict(cwd=ROOT, env=environment, check=True)
    subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], **run)
    subprocess.run(
        [
            PYTHON,
            "-c",
            "import django; django.setup(); from django.contrib.auth import get_user_model; "
            "get_user_model().objects.create_superuser('bench', 'b@example.org', 'bench-pw')",
        ],
        **run,
    )
    print("building files...", file=sys.stderr)
    big = work / "two-hundred-mb.pdf"
    big_pdf(big)
    broken = work / "broken-xref.pdf"
    broken_xref(big, broken)
    shared, hungry = hostile_pdfs(work)
    huge_png, limit_png = work / "huge.png", work / "limit.png"
    png(huge_png, 7_999, 7_999)
    png(limit_png, 6_000, 4_000)

    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "-w",
            "1",
            "-b",
            f"127.0.0.1:{PORT}",
            "--timeout",
            "120",
        ],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        admin = Admin()
        for _attempt in range(100):
            try:
                admin.login("bench", "bench-pw")
                break
            except OSError:
                time.sleep(0.2)
        pid = worker_pid(server.pid)
        admin.get("/admin/documents/add/")  # warm the worker
        admin.get("/admin/images/add/")
        rows = []
        cases = [
            ("200 MB PDF", "/admin/documents/add/", big, "application/pdf"),
            (
                "74 KB PDF, 400 pages, one stream",
                "/admin/documents/add/",
                shared,
                "application/pdf",
            ),
            ("60 KB PDF inflating to 60 MB", "/admin/documents/add/", hungry, "application/pdf"),
            ("200 MB PDF, broken xref", "/admin/documents/add/", broken, "application/pdf"),
            ("0.2 MB PNG, 7,999 x 7,999", "/admin/images/add/", huge_png, "image/png"),
            ("PNG at the limit, 6,000 x 4,000", "/admin/images/add/", limit_png, "image/png"),
        ]
        for name, url, path, content_type in cases:
            (status, final_url, after_body), elapsed, rise = measure(
                pid,
                lambda url=url, path=path, ct=content_type, title=name: admin.upload(
                    url, path, ct, title
                ),
            )
            answer = "refused" if "/add/" in final_url else "accepted"
            size = f"{os.path.getsize(path) / 1e6:.1f} MB"
            rows.append((name, size, status, answer, elapsed, after_body, rise))
        status, elapsed, rise = measure(pid, lambda: admin.get("/admin/images/1/"))
        rows.append(("its admin edit page, before the worker", "", status, "", elapsed, 0, rise))
        print(
            "| upload | file | status | | request, sent to answered (s) "
            "| of which after the last byte (s) | web worker peak rise (MB) |"
        )
        print("| --- | ---: | ---: | --- | ---: | ---: | ---: |")
        for name, size, status, answer, elapsed, after_body, rise in rows:
            print(
                f"| {name} | {size} | {status} | {answer} | {elapsed:.2f} | {after_body:.2f} "
                f"| {rise} |"
            )
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
