"""A Web Push device, as a browser is one, for Huddle's tests: it makes the subscription's
keys and decrypts what the push service received, with the independent `http_ece`
implementation of RFC 8188/8291, and checks the VAPID signature (RFC 8292).

  push_device.py keys                   -> JSON {p256dh, auth, private}
  push_device.py open PRIVATE AUTH FILE -> the plaintext of an aes128gcm body
  push_device.py vapid AUTHORIZATION    -> JSON claims, after checking the ES256 signature
"""
import base64
import json
import sys

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def keys():
    private = ec.generate_private_key(ec.SECP256R1())
    public = private.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    secret = private.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    import os

    print(json.dumps({"p256dh": b64(public), "auth": b64(os.urandom(16)), "private": b64(secret)}))


def open_body(private, auth, path):
    key = serialization.load_der_private_key(unb64(private), password=None)
    with open(path, "rb") as f:
        body = f.read()
    sys.stdout.write(http_ece.decrypt(body, private_key=key, auth_secret=unb64(auth), version="aes128gcm").decode())


def vapid(authorization):
    # "vapid t=<jwt>, k=<public key>"
    scheme, _, params = authorization.partition(" ")
    assert scheme.lower() == "vapid", authorization
    fields = dict(p.strip().split("=", 1) for p in params.split(","))
    header, claims, signature = fields["t"].split(".")
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64(fields["k"]))
    raw = unb64(signature)
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    try:
        public.verify(der, f"{header}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        sys.exit("the VAPID signature does not verify")
    print(json.dumps({"claims": json.loads(unb64(claims)), "k": fields["k"]}))


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "keys":
        keys()
    elif command == "open":
        open_body(*sys.argv[2:5])
    elif command == "vapid":
        vapid(sys.argv[2])
