"""Uploads for the signal page tests: a real JPEG and a text file that claims to be one."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def jpeg_upload(name="foto.jpg") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (16, 16), (0, 128, 0)).save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def text_upload(name="foto.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"geen foto, maar tekst", content_type="image/jpeg")
