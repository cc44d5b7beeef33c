"""Reading an evidence upload from the request without ever holding more than the size limit.

Django's own handlers write a file of any size to a temporary file before a form can refuse
it. This one writes at most EVIDENCE_MAX_UPLOAD_BYTES: past that it deletes what it wrote and
discards the rest of the file as it streams by. The rest of the request is still parsed, so the
form's other fields survive and the browser, which is still sending, gets the form back with the
size message (a server that stopped reading would reset the connection and show nothing).
"""

from io import BytesIO

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler


class OverSizeUpload(UploadedFile):
    """A file refused for its size: its name and the size it reached, no content."""

    def __init__(self, *, name: str, content_type: str, size: int):
        super().__init__(BytesIO(b""), name=name, content_type=content_type, size=size)


class EvidenceUploadHandler(TemporaryFileUploadHandler):
    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.over_size = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        if self.over_size:
            return None
        if start + len(raw_data) > settings.EVIDENCE_MAX_UPLOAD_BYTES:
            self.over_size = True
            self.file.close()  # a named temporary file: closing it deletes it
            return None
        return super().receive_data_chunk(raw_data, start)

    def file_complete(self, file_size: int) -> UploadedFile:
        if self.over_size:
            return OverSizeUpload(name=self.file_name, content_type=self.content_type, size=file_size)
        return super().file_complete(file_size)
