#!/usr/bin/env python3
"""Writes the API v3 vectors in tests/vectors/v3/*.json.

Every expected value is computed here with Python `cryptography`,
independently of the Rust core, following docs/protocol.md §19. The
official values are literal data from WeChat Pay's own SDK tests (sources
below), checked against this implementation before anything is written.
The test keys are tests/vectors/v3/keys/ (see its README).

    python tests/vectors/v3/generate.py [--check]

Format: as tests/vectors/ (a description and cases; `expect` is `ok` or an
`error` with `kind` and, for Signature errors, `reason`). Keys are named by
file (`keys/platform_cert.pem`) or given as PEM; `now` is the Unix time the
verification runs at.
"""

import base64
import gzip
import hashlib
import json
import os
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

HERE = os.path.dirname(os.path.abspath(__file__))
KEYS = os.path.join(HERE, "keys")
CHECK = "--check" in sys.argv
STALE = []

# --- official values -------------------------------------------------------------------------
# wechatpay-go core/auth/signers/sha256withrsa_signer_test.go: a PKCS#8 test key (stored there
# with "TESTING KEY" markers), the message "source" and its signature.
GO_KEY = '-----BEGIN TESTING KEY-----\nMIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQDZUJN33V+dSfvd\nfL0Mu+39XrZNXFFMQSy1V15FpncHeV47SmV0TzTqZc7hHB0ddqAdDi8Z5k3TKqb7\n6sOwYr5TcAfuR6PIPaleyE0/0KrljBum2Isa2Nyq7Dgc3ElBQ6YN4l/a+DpvKaz1\nFSKmKrhLNskqokWVSlu4g8OlKlbPXQ9ibII14MZRQrrkTmHYHzfi7GXXM0thAKuR\n0HNvyhTHBh4/lrYM3GaMvmWwkwvsMavnOex6+eioZHBOb1/EIZ/LzC6zuHArPpyW\n3daGaZ1rtQB1vVzTyERAVVFsXXgBHvfFud3w3ShsJYk8JvMwK2RpJ5/gV0QSARcm\nLDRUAlPzAgMBAAECggEBAMc7rDeUaXiWv6bMGbZ3BTXpg1FhdddnWUnYE8HfX/km\nOFI7XtBHXcgYFpcjYz4D5787pcsk7ezPidAj58zqenuclmjKnUmT3pfbI5eCA2v4\nC9HnbYDrmUPK1ZcADtka4D6ScDccpNYNa1g2TFHzkIrEa6H+q7S3O2fqxY/DRVtN\n0JIXalBb8daaqL5QVzSmM2BMVnHy+YITJWIkP2a3pKs9C0W65JGDsnG0wVrHinHF\n+cnhFZIbaPEI//DAFMc9NkrWOKVRTEgcCUxCFaHOZVNxDWZD7A2ZfJB2rK6eg//y\ngEiFDR2h6mTaDowMB4YF2n2dsIO4/dCG8vPHI20jn4ECgYEA/ZGu6lEMlO0XZnam\nAZGtiNgLcCfM/C2ZERZE7QTRPZH1WdK92Al9ndldsswFw4baJrJLCmghjF/iG4zi\nhhBvLnOLksnZUfjdumxoHDWXo2QBWbI5QsWIE7AuTiWgWj1I7X4fCXSQf6i+M/y2\n6TogQ7d0ANpZFyOkTNMn/tiJvLECgYEA22XqlamG/yfAGWery5KNH2DGlTIyd6xJ\nWtJ9j3jU99lZ0bCQ5xhiBbU9ImxCi3zgTsoqLWgA/p00HhNFNoUcTl9ofc0G3zwT\nD1y0ZzcnVKxGJdZ6ohW52V0hJStAigtjYAsUgjm7//FH7PiQDBDP1Wa6xSRkDQU/\naSbQxvEE8+MCgYEA3bb8krW7opyM0XL9RHH0oqsFlVO30Oit5lrqebS0oHl3Zsr2\nZGgoBlWBsEzk3UqUhTFwm/DhJLTSJ/TQPRkxnhQ5/mewNhS9C7yua7wQkzVmWN+V\nYeUGTvDGDF6qDz12/vJAgSwDDRym8x4NcXD5tTw7mmNRcwIfL22SkysThIECgYAV\nBgccoEoXWS/HP2/u6fQr9ZIR6eV8Ij5FPbZacTG3LlS1Cz5XZra95UgebFFUHHtC\nEY1JHJY7z8SWvTH8r3Su7eWNaIAoFBGffzqqSVazfm6aYZsOvRY6BfqPHT3p/H1h\nTq6AbBffxrcltgvXnCTORjHPglU0CjSxVs7awW3AEQKBgB5WtaC8VLROM7rkfVIq\n+RXqE5vtJfa3e3N7W3RqxKp4zHFAPfr82FK5CX2bppEaxY7SEZVvVInKDc5gKdG/\njWNRBmvvftZhY59PILHO2X5vO4FXh7suEjy6VIh0gsnK36mmRboYIBGsNuDHjXLe\nBDa+8mDLkWu5nHEhOxy2JJZl\n-----END TESTING KEY-----'
JAVA_CERT_CIPHERTEXT = 'Mr/AxbvY+WL9hKlD5nIa03LOMPpn5f+CWeNxE4ujl0f5gXZ9XLJ9CldkArCOTsbU62XgKnTc3YvRMZQ7wCmE2fzwmAenAySTYsPms72JhggPWfdqVxri9YD5wBYKn8Ck0Fc5JIiVw9WlN2oxHBz83mRVsjoTGC5+cX1CdYqKuZ8pkvi0aCJIq07ZC8MHoTowUz+4jYJy9XeKqip83Z7BmUYxsePpNM+HtihBqTJIUYXJfX7Col5X0ACsApRoU9l6swfW/kzvqNpDJavhDBGasLrr5822+Fk5nVkcTi53f8Wbue7ODWjJxj1yhRYcxFCvXLtpYNB+Qa1aXtrBSdBdBI2p7o+6Imn+auHLBCzkrZqF/yd+d4vTn4tqHPLUj89XcHsMf96uBo3T/HQV8LEDeIO+6YvOK9FrIDYsvp+imN4n/mnF7eJKo9mpN/QqWJiawrFpAmMMxFKBjIdpgMnVUl3Z11RcWKyfOJ3kcmItTWcnZFNyDgR9cS0aU6QPlefa3uUW89uzBuHjcFdDl43yU3LE4qZnHLDcDgx4qt0OFCLiy51GXtEpyYs5k99YJBvKK+RyIs4Yc1/smBmClQUhxW+8bsPNOcXfDvH2yX4YzESoO4TV0RqiCgnsSd4zIFyJPiMKIGzVHiw6Kg0eGCmB4mGHEEZCQ0eN3SSPO0QVjjtBYfgXDZfVHSaAB8PjWBVNFimoViZZQrwT6Ygo0LU0Dd8+F5aHFYr4OPHPslr3hrgutEYXDTv1vTA6ABJGqknJ9Y2vtyWpy7aIwxc0kQq/1ezjs+RMVL/LRpGDnbx1/CGPDjZhYgZypKa55+PDhoaQxqkF3xCLz2DGoNHZYmFqxzAOsAK0vJZw4VcAk6ssbA6YIaMuiemEpxfLC9ZiXtRqsX9s+GWjjtA8JywOFMO+NKZm9BH/E5YNg2DDD3sHG9Mciwn7yJ6sdf8h2lAWlEExAOeiBNyshOHAQ0/S+x1ncWNiqY+Uh5n0rtonvePV2MsxVlEWR3AVHn1abcEWkzivd+G5kg7LYO0goqzGClcQfnFfZdO6KwcMXsBCnm9A1Bl4+k5LLokTIYH5/36SRIZ9j0CHGD77BQLE7x8AlNsoFS2m263tLLq78TFqvZUTIZIQcVIl+NInscS3xQbA38qqFqutCWIwoF1azuJ7woiJyMvnS3xzIpNzP+rzJ8VDXxjLjpEUBOC9WDs74+QMtsAdmh6g0KDclHEk8WJ4P2bnso4z3VCGoDT5X/0bS1C+jMZMKaOCNB21FZ08qgUHmKeDeg8ylENu+mh2Y/AaEDSGkGBHIfFbhMYO3uRxhk9hldiHEnHgdkXiVAAUWk/IhtmGijibO/L76vB74Xpes973uK+2iFKgNBk8qTLLZZnuWbcMQuA6VsFULRb/C+q9B21YuAWPMzvgBwr4EX2m/OpF5w8Q0HL7v1H5H0mIGJbrjnklUPoBYrw30W3uk7yF0KE6sfMukafFx0S9rBOL0RykGDPwC0lHSNySkXDeM5XvDJ+dtHK+RDwhJR+azfrWAHGMtZcQ+YVamjWVmHxXM03j3GeCXgqae1upwHzkPL5OwojcQ5MQi3Kv/1xtwY0cRN/yeZTOsXfujtqhkJj/Vltby4lnW4SCj4LjWQF19BY6zhzF4yybBA8bhhtoNP/zx8QkhHAkIROkK2ZVgfocCAPvfQ+vSrsIBO+L5cmg6mzFn4g84lsHscgXnszIlzUrzx/4Tam0uwuS9J1gddZ0I0QUt9SJzfsoBCTU0OgNMUtXKS5HvgXe7abexMtFH5eulOsAuFZkQ5LYJa/m4yHFInXzL/t3hjdTi2NmxUufvYzwIyffRTu5vS9vjscARD9lUQDHFQ/xgWe1i8EkRlrSfjlXt00+4//h2bcJKyTBT3IXwvKNsuY29V9/vU3HkvWKZ99zpSlmcZRuBa1BHbyPEvc0NlqIIoKidxqUvOR64MzudHhAjgWFP+IXojfhS3Gj9OJhBL7s'
GO_CERT = '-----BEGIN CERTIFICATE-----\nMIIDVzCCAj+gAwIBAgIJANfOWdH1ItcBMA0GCSqGSIb3DQEBCwUAMEIxCzAJBgNV\nBAYTAlhYMRUwEwYDVQQHDAxEZWZhdWx0IENpdHkxHDAaBgNVBAoME0RlZmF1bHQg\nQ29tcGFueSBMdGQwHhcNMjEwNDI3MDg1NTIzWhcNMzEwNDI1MDg1NTIzWjBCMQsw\nCQYDVQQGEwJYWDEVMBMGA1UEBwwMRGVmYXVsdCBDaXR5MRwwGgYDVQQKDBNEZWZh\ndWx0IENvbXBhbnkgTHRkMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n2VCTd91fnUn73Xy9DLvt/V62TVxRTEEstVdeRaZ3B3leO0pldE806mXO4RwdHXag\nHQ4vGeZN0yqm++rDsGK+U3AH7kejyD2pXshNP9Cq5YwbptiLGtjcquw4HNxJQUOm\nDeJf2vg6byms9RUipiq4SzbJKqJFlUpbuIPDpSpWz10PYmyCNeDGUUK65E5h2B83\n4uxl1zNLYQCrkdBzb8oUxwYeP5a2DNxmjL5lsJML7DGr5znsevnoqGRwTm9fxCGf\ny8wus7hwKz6clt3Whmmda7UAdb1c08hEQFVRbF14AR73xbnd8N0obCWJPCbzMCtk\naSef4FdEEgEXJiw0VAJT8wIDAQABo1AwTjAdBgNVHQ4EFgQUT1c7nd/SUO76HSoZ\numNUJv1R5PwwHwYDVR0jBBgwFoAUT1c7nd/SUO76HSoZumNUJv1R5PwwDAYDVR0T\nBAUwAwEB/zANBgkqhkiG9w0BAQsFAAOCAQEAfTjxKRQMzNB/U6ZoCUS+BSNfa2Oh\n0plMN6ZuzwiVVZwg1jywvv5yv04koS7Pd4i9E4gt9ZBUQXlpq+A3oOCEEHNRR6b2\nkyazGRM7s0OP5X21WrbpSmKmU6K7hkfx30yYs08LVs/Q8DIhvaj1FCFeJzUCzYn/\nfHMq4tsbKO0dKAeydPM/nrUZBmaYQVKMVOORGLFjFKVO7JV6Kq/R86ouhjEPgJOe\n2xulNBUcjicqtZlBdEh/PWCYP2SpGVDclKm8jeo175T3EVAkdKzzmfpxtMmnMlmq\ncTJOU9TxuGvNASMtjj7pYIerTx+xgZDXEVBWFW9PjJ0TV06tCRsgSHItgg==\n-----END CERTIFICATE-----'
GO_SIGNATURE = 'tJHIiIS9eB2hAYstmAmbbD3ZE5LiIm/Ug5tuL4fC0YOFRWIHV39UFIZXC0e9Wl6lBu6sKvkqDkzpqzBsVHyXFlbYZTOQrVdG4b6LfTnK4mikv9++ixJMd3vTf2yCqvBkh98zs3Ds5zsYQakzbcwhmw4fMJs4nPLws28H0UW9FjDR//rxELLwXvV1VEA1IBLX70xptjL8hrfUjEE8kkry6yNJTHZRU8CAc7qHli2Ng1V1qb9ARbK8A3ThmFmPQvRGrapI/jS2laKKgYUmfdEdkNO6B2Cke5e8VTxY406ArAmQ90GAihDwIcb16TQMnzCMBoutnwZKNiKRACrFmtxw2Q=='
GO_BODY = '{"id":"3119dfba-e649-5eec-ab1e-3412bc4d2e17","create_time":"2021-06-24T16:37:26+08:00","resource_type":"encrypt-resource","event_type":"PAYSCORE.USER_OPEN_SERVICE","summary":"签约成功","resource":{"original_type":"payscore","algorithm":"AEAD_AES_256_GCM","ciphertext":"YDS3lKPaC4Y52Gf3uhft5qUBlIa8b428AWTtTauHQfQrRw+X1WpiuHIDy0vo1Vd6VEq67aVyqPdDYMkRVSDaZL3iZttevRMOoPKMifozg6XPWjIZumks/GpT48lI4NizyeaqLBokNebthah3o1H76qSlO9NkDjp9bzmKLEYYH9TEklFUpsvPqOTOcgSLgh21YJXYR7dEBXFgRLiNIKRgO5JdXh1hccRUAlyVWxE54PXpnQ==","associated_data":"payscore","nonce":"Kj7QIyUiYx1q"}}'
GO_SIGNED_SOURCE = ("BKyAfU4iMCuvXMXS0Wzam3V/cnxZ+JaqigPM5OhljS2iOT95OO6Fsuml2JkFANJU9K6q9bLlDhPXuoVz+pp4hAm6pHU4ld815U4jsK"
                    "u1RkyaII+1CYBUYC8TK0XtJ8FwUXXz8vZHh58rrAVN1XwNyvD1vfpxrMT4SL536GLwvpUHlCqIMzoZUguLli/K8V29QiOhuH6IEqLN"
                    "Jn8e9b3nwNcQ7be3CzYGpDAKBfDGPCqCv8Rw5zndhlffk2FEA70G4hvMwe51qMN/RAJbknXG23bSlObuTCN7Ndj1aJGH6/L+hdwfLp"
                    "UtJm4QYVazzW7DFD27EpSQEqA8bX9+8m1rLg==")
# wechatpay-go core/notify/notify_test.go: GO_CERT (serial D7CE59D1F522D701, over the same key),
# GO_BODY signed at 1624523846 with nonce EcZ9Cmy4Xyx1i6RlJQzLcCyEqDa26NBz; its resource is
# encrypted with a 16-byte key, which AEAD_AES_256_GCM must refuse.
GO_NONCE, GO_TIMESTAMP, GO_SERIAL, GO_APIV3_KEY = "EcZ9Cmy4Xyx1i6RlJQzLcCyEqDa26NBz", 1624523846, "D7CE59D1F522D701", "testMchAPIv3Key0"
# wechatpay-java core/src/test/.../cipher/AeadAesCipherTest.java and model/TestConfig.java.
JAVA_APIV3_KEY = "a7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb"
JAVA_AEAD = {"nonce": "uluk4a9R25RW", "associated_data": "associatedData", "ciphertext": "ulwSiIajGClcvcOYvOQ7+l+0PAbzzwI=",
             "plaintext": "message"}
JAVA_CERT_SERIAL, JAVA_CERT_NONCE = "5DEA10EF55877E3CF6C33255C2E7DEFFF7E427EC", "14b16c03dc1b"
# wechatpay-java core/src/test/resources/merchant_private_key.pem and cipher/RSAPrivacyDecryptorTest.java:
# an RSA-OAEP (SHA-1, MGF1-SHA-1) ciphertext of "plaintext" under that merchant's key.
JAVA_MERCHANT_KEY = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCaZzehUwzcxdLg\nGn/UNryHLdX0yBvCqD0p92/BdlCIBi0dmzZzrfc+FF0xK70AP9b2+Ry5q+zXUU+d\nPucJmgwABiZ+Lte+4euMxqPCEkdEu9lyiphalpoaOVPbmDNatzq9k5a/P454QRWM\ndkLUJZCeoL9bF2Gn/2+wWEw3sL8zFFcOM8Jr1PdOLmAx+h7pf/87jcmXXCm+SZqw\n5MtILKQi9zHWujYdMA0IcYNeQaNl1h/NUnungdIHKaaU+17wCXqTcZsipAGoqfqr\nHx/sr30ZszOdHYOvFNiB+rhEldBGSLWwSYE6LFkbP9GdQWKIQCip3E5dLj5ZFkDe\nOv4Hekf9AgMBAAECggEAEsVsqnS90hNMzUj7dHHJHsgQRGeVlGc+tFzsHcGEDd1u\nW7SUfKDQN6BjKgiuvBqGyFTFzL7dltnAS5YroWu0fMZCpMGOIhs2N1Go8/2j43PQ\n/k9iMVUw2/JPQxmwWJ2BCy4nvA1+hRkohQCVpFQCzn4tdWYUzcdMrUw2y+h1fkCQ\n5MJn7iw9QHKQSeFeCl1/xq2PvOtiK/r1LsckyKNSSNgFEfxyWYaKbnK9OH+5rFKQ\nQuI+fnAgE6QiLvmW0NqqZUSfqkLKi/FSWI13ns0H6OxjqpLX8VQ6+Cw5qq8fCuv2\ngzkVk8A85ZTCQL/q9qDilt9uAE0bE924WU+n2zkBoQKBgQDQvIufN6fKpm27k4yx\nRNV23fj9nojewaVqGg/3yuyiAu6w/yFcTXkGMVOicTYraX2mliHTIoyP8ywKGqqa\nXS/Kk3tGD1K04KriPiFwWXU54+DmOJEyYoJlmXOm4BoZ1lW0z5HECC9eO/VPSDY+\nzQdRYSCTdSHEgYuOGQSLPPwdrQKBgQC9XTrvkUkIthayc+4IhV6m4kT8uwzuoc3f\nuaJhFFcpLKqzcpQBH71TYCXfqkucnO0no0sGerBB4HJQoVRK+jsdhNZhcw1JKLau\nE+YlCSRLZ62vyzBTzLw1fnFBp82z1VZBujCrMP+DdwXBTsnkRaUtmDEG0s6YsCwd\nfayF0PB9kQKBgAHc/P4R2ByV+brH6WSXsbQa7SMObDhY0CovS18x34Tes9S+okSZ\nqG/mttFnY01l5qo7AthIoaqTSBxa+pTgKhIL2PjaICnfK4dTeKbxFXvLzfEgJiOl\n/3X6ta6Sp4j9gcxYYfu2+v1DWcA4a8uJtvwB+vF2BTQk1+MP1BuOEs4NAoGBAK3y\n+HKdOUPBUPQ4vk4hhaMzcz/d67FB/UYo1lrrPm3aVCxnckHeECKIzgG6A58oIEor\nHH4lMcgyD5C1wiLl3mvtXKlD8M5lkfoy2VToIukJomk783bnOXTCY/N12+X4cTYL\nfS2k4vK24RiD8b25pFRP26ly+MkV/FBS46pBFsmhAoGAOjfl2vGyJo8CRQ/HBLsS\nBw2VQgRvZU7mom1qa2SKA2VlsFz/aiBCcT8XEsTJxkVYkvbdfbyx2Z9kCbI6Y2cz\nZ+M/0rQSRv/eOiBW7anBImZMg6WcYNfRfumkuNq+6fcCKKtZuyrd7ZFc0jTcVasI\nxNJ1TM6J6kRQdn5O6Ot4ERw=\n-----END PRIVATE KEY-----'
JAVA_OAEP_CIPHERTEXT = 'Qqsluo7R1IZyAqdkm/jBzwXDP5VndCwwFbRA+yILFTYciZzrRChQIQ7SKuI2k3YSR5auB3ZspdjR1WPB3PTCKe6BCFx3NnaPWhSwonYTmW8ZseXjkbcYSbKL5O/6dr6Zftg3t2A2FUd97acjM1fr2EIvIvRieQ3Hl8qVkDBY9520wm1rzvePUnxQWN70RZiBcqr7O7Gb0gU3l7FkvoUFSbY44HgDJetmVow3yGIV3Tcd45o2MNQ+5F1qvjIjb3/6dkGKce4/kNTYraUMO6o6kfFXlfg+bFRIiz8hiUpbToWdu7g0R5Hq0/YIE5vw/5Ms4gbk2HIQIfOLkY8sEPjYHA=='
# The official examples of the signing strings (docs/protocol.md §19.1 and §19.4).
OFFICIAL_REQUEST = "GET\n/v3/certificates\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n\n"
OFFICIAL_PAY_SIGN = "wx8888888888888888\n1414561699\n5K8264ILTKCH16CQ2502SI8ZNMTM67VS\nprepay_id=wx201410272009395522657a690389285100\n"
# What protocol notes computed from the official request and pay-sign strings with the Go key.
EXPECTED_REQUEST = ("RjVFHMcrr9NsM4SiNmpFx6QPR99WztxatBshmr/6f7pXnt2YSPAhmNrEEAjWgpOcf5Zxbwl2qdPACOsEOeGrnLD81nVK3ucJq50iD0FAyF11"
                    "knd1C9ic7zV9Jg3zao0+Wx3yAI6jXx6NLBEfNNspCazrQ+IHsUi04tubSBsT+4LHT9j0rL9axFBl7jVYe7uZ1ZQzap8EokLHDQbYw6qPEOs8"
                    "5+a2rnudh3TCPe81oUfe0zPqwEE6sWxxeSCYx+1mbURsOAN4Z8/uKgOIZxbDAkqYWFb7VOaHFeejC1rsxUc7wkw0zQWxae1giswROXii1Dor"
                    "wdJ3CGlPchx0PyDjkQ==")
EXPECTED_PAY_SIGN = ("UV+EKQ3OdnOkUbbKaVi53s/67T59JbHx9gc9MaWoQEOaiZH+uYMByfW2MWXTZW1gnOXl1CqwzHtx7QUxfatSdSxgBhbNhJx1QaxkP0zSXAgX"
                     "IoWPAktOlj9n/phfOH95rNl8bHzRDUoNAMQmfQy8SHGooKtEU6/87nWXHhcYarv/nmtgAJcwsV+lGJQ4jLZhGl5BaAvpLW1Xg8yYg1DXNjik2SP"
                     "K8d+4FRSkW671wIvxXQCYqG3mi3FvxP5XJ3OBVbPk4GRf/8wi2r2eiqXYd5e4mRMIAOGxqape9Cm46kxrjlHF0uM+wSir4Nychn2H5geUh2YvE8"
                     "vJJMAqmkN2gg==")

# --- an independent implementation of docs/protocol.md §19 ----------------------------------

GO_KEY_PEM = GO_KEY.replace("TESTING KEY", "PRIVATE KEY")


def key_file(name):
    with open(os.path.join(KEYS, name), "rb") as f:
        return f.read()


def private_key(pem):
    return serialization.load_pem_private_key(pem if isinstance(pem, bytes) else pem.encode(), password=None)


def sign(pem, message):
    return base64.b64encode(private_key(pem).sign(message.encode() if isinstance(message, str) else message,
                                                  padding.PKCS1v15(), hashes.SHA256())).decode()


def verify_string(ts, nonce, body):
    return str(ts).encode() + b"\n" + nonce.encode() + b"\n" + body + b"\n"


def serial_hex(cert):
    return format(cert.serial_number, "X")


def err(kind, reason=None):
    e = {"kind": kind}
    if reason:
        e["reason"] = reason
    return {"error": e}


def write(name, description, cases):
    path = os.path.join(HERE, name)
    text = json.dumps({"description": description, "cases": cases}, ensure_ascii=False, indent=2) + "\n"
    if CHECK:
        if not os.path.exists(path) or open(path, encoding="utf-8").read() != text:
            STALE.append(name)
        return
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"wrote v3/{name}: {len(cases)} cases")


MCHID = "1900009191"
MERCHANT_SERIAL = serial_hex(x509.load_pem_x509_certificate(key_file("merchant_cert.pem")))
PLATFORM_SERIAL = serial_hex(x509.load_pem_x509_certificate(key_file("platform_cert.pem")))
PUBLIC_KEY_ID = "PUB_KEY_ID_0114232025120400000000000000000001"
APIV3_KEY = "wxpaysim0apiv30key00000000000001"


def signing_cases():
    assert sign(GO_KEY_PEM, "source") == GO_SIGNED_SOURCE, "the Go signer vector"
    assert sign(GO_KEY_PEM, OFFICIAL_REQUEST) == EXPECTED_REQUEST
    assert sign(GO_KEY_PEM, OFFICIAL_PAY_SIGN) == EXPECTED_PAY_SIGN
    cases = [
        {"name": "wechatpay-go signer: 'source'", "official": True, "key_pem": GO_KEY_PEM, "message": "source",
         "expect": {"ok": GO_SIGNED_SOURCE}},
        {"name": "the official request string", "official": True, "key_pem": GO_KEY_PEM, "message": OFFICIAL_REQUEST,
         "expect": {"ok": EXPECTED_REQUEST}},
        {"name": "the official JSAPI pay-sign string", "official": True, "key_pem": GO_KEY_PEM,
         "message": OFFICIAL_PAY_SIGN, "expect": {"ok": EXPECTED_PAY_SIGN}},
    ]
    merchant = key_file("merchant_key.pem")
    for name, method, path, body in [
        ("GET with a query", "GET", "/v3/pay/transactions/out-trade-no/order-0001?mchid=1900009191", ""),
        ("POST with a JSON body", "POST", "/v3/pay/transactions/jsapi",
         '{"appid":"wxd930ea5d5a258f4f","mchid":"1900009191","description":"书店-图书","out_trade_no":"order-0001",'
         '"notify_url":"https://shop.example/notify","amount":{"total":990},"payer":{"openid":"oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"}}'),
        ("POST with an empty body (close)", "POST", "/v3/pay/transactions/out-trade-no/order-0001/close",
         '{"mchid":"1900009191"}'),
    ]:
        ts, nonce = 1733292000, "Q8mRvN2xKp7LcW4zTy9BdE6hJs3FaGu1"
        message = f"{method}\n{path}\n{ts}\n{nonce}\n{body}\n"
        header = (f'WECHATPAY2-SHA256-RSA2048 mchid="{MCHID}",nonce_str="{nonce}",timestamp="{ts}",'
                  f'serial_no="{MERCHANT_SERIAL}",signature="{sign(merchant, message)}"')
        cases.append({"name": f"Authorization: {name}", "key": "merchant_key.pem", "mchid": MCHID,
                      "serial_no": MERCHANT_SERIAL, "method": method, "path": path, "timestamp": ts, "nonce": nonce,
                      "body": body, "expect": {"ok": {"signing_string": message, "authorization": header}}})
    write("signing.json", "SHA256withRSA signatures (key_pem or the file key in keys/) over message, and Authorization "
          "headers for method, path (with its query), timestamp, nonce and body as sent", cases)


def verify_cases():
    go_cert = x509.load_pem_x509_certificate(GO_CERT.encode())
    assert serial_hex(go_cert) == GO_SERIAL
    body = GO_BODY.encode()
    go_cert.public_key().verify(base64.b64decode(GO_SIGNATURE), verify_string(GO_TIMESTAMP, GO_NONCE, body),
                                padding.PKCS1v15(), hashes.SHA256())
    go_headers = {"timestamp": str(GO_TIMESTAMP), "nonce": GO_NONCE, "signature": GO_SIGNATURE, "serial": GO_SERIAL}
    go_keys = [{"certificate_pem": GO_CERT}]
    cases = [
        {"name": "wechatpay-go notification", "official": True, "keys": go_keys, "headers": go_headers,
         "body": GO_BODY, "now": GO_TIMESTAMP, "expect": {"ok": True}},
        {"name": "wechatpay-go notification, re-serialised with spaces", "keys": go_keys, "headers": go_headers,
         "body": json.dumps(json.loads(GO_BODY), ensure_ascii=False), "now": GO_TIMESTAMP,
         "expect": err("Signature", "Invalid")},
        {"name": "wechatpay-go notification, 301 s later", "keys": go_keys, "headers": go_headers, "body": GO_BODY,
         "now": GO_TIMESTAMP + 301, "expect": err("Signature", "Stale")},
        {"name": "wechatpay-go notification, 300 s early is still on time", "keys": go_keys, "headers": go_headers,
         "body": GO_BODY, "now": GO_TIMESTAMP - 300, "expect": {"ok": True}},
    ]
    platform, public = key_file("platform_key.pem"), key_file("wechatpay_key.pem")
    cert_key = [{"certificate": "platform_cert.pem"}]
    pub_key = [{"public_key": "wechatpay_public_key.pem", "id": PUBLIC_KEY_ID}]
    both = cert_key + pub_key
    ts, nonce = 1733292000, "f1e2d3c4b5a697887766554433221100"
    answer = b'{"prepay_id":"wx04141200000000000000000000000001"}'

    def signed(pem, serial, body=answer, when=ts):
        return {"timestamp": str(when), "nonce": nonce, "signature": sign(pem, verify_string(when, nonce, body)),
                "serial": serial}

    def case(name, keys, headers, expect, body=answer, now=ts):
        cases.append({"name": name, "keys": keys, "headers": headers, "body": body.decode(), "now": now,
                      "expect": expect})

    ok = {"ok": True}
    case("a platform certificate's answer", cert_key, signed(platform, PLATFORM_SERIAL), ok)
    case("the public key's answer", pub_key, signed(public, PUBLIC_KEY_ID), ok)
    case("migrating: a certificate's answer with both held", both, signed(platform, PLATFORM_SERIAL), ok)
    case("migrating: the public key's answer with both held", both, signed(public, PUBLIC_KEY_ID), ok)
    case("an empty body (204)", cert_key, signed(platform, PLATFORM_SERIAL, b""), ok, body=b"")
    case("signed by the public key but naming the certificate", both, signed(public, PLATFORM_SERIAL),
         err("Signature", "Invalid"))
    case("the public key not configured", cert_key, signed(public, PUBLIC_KEY_ID), err("Signature", "UnknownKey"))
    # A serial whose first hex digit is 0: Go's SDK writes it, Java's drops it; the same certificate.
    rotated, rotated_serial = key_file("platform_key_2.pem"), serial_hex(x509.load_pem_x509_certificate(key_file("platform_cert_2.pem")))
    assert len(rotated_serial) == 39
    for spelling in (rotated_serial, "0" + rotated_serial, ("0" + rotated_serial).lower()):
        case(f"a serial with a leading zero, spelled {spelling[:4]}…", [{"certificate": "platform_cert_2.pem"}],
             signed(rotated, spelling), ok)
    probe = dict(signed(platform, PLATFORM_SERIAL), signature="WECHATPAY/SIGNTEST/2sWfO+6tVVxoN8t3rT0XwyGk2kCg==")
    case("WeChat's signature probe", cert_key, probe, err("Signature", "Invalid"))
    case("a body changed by one byte", cert_key, signed(platform, PLATFORM_SERIAL),
         err("Signature", "Invalid"), body=answer.replace(b"01", b"02"))
    for missing in ["timestamp", "nonce", "signature", "serial"]:
        h = signed(platform, PLATFORM_SERIAL)
        h[missing] = ""
        case(f"no {missing} header: unsigned", cert_key, h, err("Signature", "Missing"))
    case("a stale timestamp", cert_key, signed(platform, PLATFORM_SERIAL, when=ts - 301), err("Signature", "Stale"))
    case("a timestamp from the future", cert_key, signed(platform, PLATFORM_SERIAL, when=ts + 301),
         err("Signature", "Stale"))
    case("a timestamp that is no number", cert_key, dict(signed(platform, PLATFORM_SERIAL), timestamp="17332920OO"),
         err("Signature", "Invalid"))
    write("verify.json", "Verifier.verify(headers, body, now): keys are platform certificates (a file in keys/ or "
          "certificate_pem) and public keys (file and id) held; headers are Wechatpay-Timestamp, -Nonce, -Signature "
          "and -Serial (empty: absent); body is the raw body as UTF-8", cases)


def aead_cases():
    aes = AESGCM(JAVA_APIV3_KEY.encode())
    j = JAVA_AEAD
    plain = aes.decrypt(j["nonce"].encode(), base64.b64decode(j["ciphertext"]), j["associated_data"].encode())
    assert plain.decode() == j["plaintext"]
    cert_pem = aes.decrypt(JAVA_CERT_NONCE.encode(), base64.b64decode(JAVA_CERT_CIPHERTEXT), b"certificate")
    cert = x509.load_pem_x509_certificate(cert_pem)
    assert serial_hex(cert) == JAVA_CERT_SERIAL
    cases = [
        {"name": "wechatpay-java AEAD_AES_256_GCM", "official": True, "key": JAVA_APIV3_KEY, **{k: j[k] for k in
         ("nonce", "associated_data", "ciphertext")}, "expect": {"ok": j["plaintext"]}},
        {"name": "wechatpay-java platform certificate download", "official": True, "key": JAVA_APIV3_KEY,
         "nonce": JAVA_CERT_NONCE, "associated_data": "certificate", "ciphertext": JAVA_CERT_CIPHERTEXT,
         "expect": {"ok": cert_pem.decode(), "certificate": {
             "serial": JAVA_CERT_SERIAL, "not_before": int(cert.not_valid_before_utc.timestamp()),
             "not_after": int(cert.not_valid_after_utc.timestamp())}}},
        {"name": "a 16-byte key (wechatpay-go's notification test) is no APIv3 key", "key": GO_APIV3_KEY,
         "nonce": "Kj7QIyUiYx1q", "associated_data": "payscore", "ciphertext": json.loads(GO_BODY)["resource"]["ciphertext"],
         "expect": err("Config")},
    ]
    ours = AESGCM(APIV3_KEY.encode())
    transaction = json.dumps({"mchid": MCHID, "appid": "wxd930ea5d5a258f4f", "out_trade_no": "order-0001",
                              "transaction_id": "4200000001202412040000000001", "trade_type": "JSAPI",
                              "trade_state": "SUCCESS", "amount": {"total": 990, "payer_total": 990, "currency": "CNY",
                                                                   "payer_currency": "CNY"}},
                             ensure_ascii=False, separators=(",", ":"))
    ct = base64.b64encode(ours.encrypt(b"abcdef123456", transaction.encode(), b"transaction")).decode()
    cases += [
        {"name": "a payment resource", "key": APIV3_KEY, "nonce": "abcdef123456", "associated_data": "transaction",
         "ciphertext": ct, "expect": {"ok": transaction}},
        {"name": "another associated_data", "key": APIV3_KEY, "nonce": "abcdef123456", "associated_data": "refund",
         "ciphertext": ct, "expect": err("Signature", "Invalid")},
        {"name": "a tag changed", "key": APIV3_KEY, "nonce": "abcdef123456", "associated_data": "transaction",
         "ciphertext": base64.b64encode(base64.b64decode(ct)[:-1] + bytes([base64.b64decode(ct)[-1] ^ 1])).decode(),
         "expect": err("Signature", "Invalid")},
        {"name": "the v2 API key by mistake", "key": "192006250b4c09247ec02edce69f6a2d", "nonce": "abcdef123456",
         "associated_data": "transaction", "ciphertext": ct, "expect": err("Signature", "Invalid")},
        {"name": "a nonce that is not 12 bytes", "key": APIV3_KEY, "nonce": "abcdef", "associated_data": "transaction",
         "ciphertext": ct, "expect": err("Protocol")},
        {"name": "a ciphertext that is not base64", "key": APIV3_KEY, "nonce": "abcdef123456",
         "associated_data": "transaction", "ciphertext": "***", "expect": err("Protocol")},
    ]
    write("aead.json", "ApiV3Key(key).decrypt(nonce, associated_data, ciphertext): expect.ok is the plaintext (UTF-8); "
          "certificate, when given, is what the decrypted PEM certificate holds", cases)


def notification_cases():
    platform, public = key_file("platform_key.pem"), key_file("wechatpay_key.pem")
    aes = AESGCM(APIV3_KEY.encode())
    ts, nonce = 1733292000, "5K8264ILTKCH16CQ2502SI8ZNMTM67VS"
    transaction = {"mchid": MCHID, "appid": "wxd930ea5d5a258f4f", "out_trade_no": "order-0001",
                   "transaction_id": "4200000001202412040000000001", "trade_type": "JSAPI", "trade_state": "SUCCESS",
                   "trade_state_desc": "支付成功", "bank_type": "OTHERS", "success_time": "2024-12-04T14:00:00+08:00",
                   "payer": {"openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"},
                   "amount": {"total": 990, "payer_total": 990, "currency": "CNY", "payer_currency": "CNY"}}

    def envelope(resource, algorithm="AEAD_AES_256_GCM", ad="transaction", rnonce="fdasflkja484", tamper=False):
        ct = aes.encrypt(rnonce.encode(), json.dumps(resource, ensure_ascii=False, separators=(",", ":")).encode(),
                         ad.encode())
        if tamper:
            ct = ct[:-1] + bytes([ct[-1] ^ 1])
        return json.dumps({"id": "EV-2018022511223320873", "create_time": "2024-12-04T14:00:01+08:00",
                           "resource_type": "encrypt-resource", "event_type": "TRANSACTION.SUCCESS", "summary": "支付成功",
                           "resource": {"original_type": "transaction", "algorithm": algorithm,
                                        "ciphertext": base64.b64encode(ct).decode(), "associated_data": ad,
                                        "nonce": rnonce}}, ensure_ascii=False, separators=(",", ":"))

    def headers(body, pem=platform, serial=PLATFORM_SERIAL, when=ts):
        return {"timestamp": str(when), "nonce": nonce, "serial": serial,
                "signature": sign(pem, verify_string(when, nonce, body.encode()))}

    both = [{"certificate": "platform_cert.pem"}, {"public_key": "wechatpay_public_key.pem", "id": PUBLIC_KEY_ID}]
    ok = {"ok": {"id": "EV-2018022511223320873", "event_type": "TRANSACTION.SUCCESS", "original_type": "transaction",
                 "resource": transaction}}
    body = envelope(transaction)
    cases = []

    def case(name, body, h, expect, key=APIV3_KEY, now=ts):
        cases.append({"name": name, "keys": both, "apiv3_key": key, "headers": h, "body": body, "now": now,
                      "expect": expect})

    case("a payment, signed with the platform certificate", body, headers(body), ok)
    case("a payment, signed with the public key", body, headers(body, public, PUBLIC_KEY_ID), ok)
    case("WeChat's signature probe", body, dict(headers(body), signature="WECHATPAY/SIGNTEST/" + "A" * 40),
         err("Signature", "Invalid"))
    case("replayed a day later", body, headers(body), err("Signature", "Stale"), now=ts + 86400)
    case("signed, but the resource tampered with before signing", envelope(transaction, tamper=True),
         headers(envelope(transaction, tamper=True)), err("Signature", "Invalid"))
    case("decrypted with the wrong APIv3 key", body, headers(body), err("Signature", "Invalid"),
         key="wxpaysim0apiv30key00000000000002")
    other = envelope(transaction, algorithm="AEAD_SM4_GCM")
    case("another algorithm", other, headers(other), err("Protocol"))
    junk = '{"hello":"world"}'
    case("signed, but no envelope", junk, headers(junk), err("Protocol"))
    case("the APIv3 key of 16 bytes", body, headers(body), err("Config"), key="testMchAPIv3Key0")
    write("notifications.json", "Notification.parse(verifier, ApiV3Key(apiv3_key), headers, body, now): keys as in "
          "verify.json; expect.ok lists the envelope fields and the decrypted resource", cases)


def security_cases():
    """The attacks and faults a notify handler meets, each as a notification
    the client's parse_notification(headers, body, now) must accept or
    refuse: every binding runs these through its own client."""
    platform, public = key_file("platform_key.pem"), key_file("wechatpay_key.pem")
    stranger = key_file("merchant_key.pem")
    rotated_serial = serial_hex(x509.load_pem_x509_certificate(key_file("platform_cert_2.pem")))
    rotated = key_file("platform_key_2.pem")
    aes = AESGCM(APIV3_KEY.encode())
    ts, nonce = 1764835200, "Q1W2E3R4T5Y6U7I8O9P0A1S2D3F4G5H6"
    transaction = {"mchid": MCHID, "appid": "wxd930ea5d5a258f4f", "out_trade_no": "order-0002",
                   "transaction_id": "4200000002202512040000000002", "trade_type": "JSAPI", "trade_state": "SUCCESS",
                   "trade_state_desc": "支付成功", "bank_type": "OTHERS", "success_time": "2025-12-04T16:00:00+08:00",
                   "payer": {"openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"},
                   "amount": {"total": 1990, "payer_total": 1990, "currency": "CNY", "payer_currency": "CNY"}}

    def envelope(resource, tamper=False):
        ct = aes.encrypt(b"k3n9x0q2w4e6", json.dumps(resource, ensure_ascii=False, separators=(",", ":")).encode(),
                         b"transaction")
        if tamper:
            ct = ct[:-1] + bytes([ct[-1] ^ 1])
        return json.dumps({"id": "EV-2025120416000100000001", "create_time": "2025-12-04T16:00:01+08:00",
                           "resource_type": "encrypt-resource", "event_type": "TRANSACTION.SUCCESS", "summary": "支付成功",
                           "resource": {"original_type": "transaction", "algorithm": "AEAD_AES_256_GCM",
                                        "ciphertext": base64.b64encode(ct).decode(), "associated_data": "transaction",
                                        "nonce": "k3n9x0q2w4e6"}}, ensure_ascii=False, separators=(",", ":"))

    def headers(body, pem=public, serial=PUBLIC_KEY_ID, when=ts):
        return {"timestamp": str(when), "nonce": nonce, "serial": serial,
                "signature": sign(pem, verify_string(when, nonce, body.encode()))}

    both = [{"certificate": "platform_cert.pem"}, {"public_key": "wechatpay_public_key.pem", "id": PUBLIC_KEY_ID}]
    body = envelope(transaction)
    ok = {"ok": {"id": "EV-2025120416000100000001", "event_type": "TRANSACTION.SUCCESS",
                 "original_type": "transaction", "resource": transaction}}
    cases = []

    def case(name, attack, h, expect, b=body, now=ts, keys=both, key=APIV3_KEY):
        cases.append({"name": name, "attack": attack, "keys": keys, "apiv3_key": key, "headers": h, "body": b,
                      "now": now, "expect": expect})

    case("authentic, signed with the WeChat Pay public key", "none", headers(body), ok)
    case("authentic, signed with the platform certificate", "none", headers(body, platform, PLATFORM_SERIAL), ok)
    # The probe carries a real serial and the real body; only the signature is WeChat's marker.
    real = headers(body)
    case("WeChat's signature probe", "probe", dict(real, signature="WECHATPAY/SIGNTEST/" + real["signature"]),
         err("Signature", "Invalid"))
    case("WeChat's signature probe naming the platform certificate", "probe",
         dict(headers(body, platform, PLATFORM_SERIAL), signature="WECHATPAY/SIGNTEST/2sWfO+6tVVxoN8t3rT0XwyGk2kCg=="),
         err("Signature", "Invalid"))
    case("a timestamp 301 s old", "stale", headers(body, when=ts - 301), err("Signature", "Stale"))
    case("a timestamp 301 s ahead", "stale", headers(body, when=ts + 301), err("Signature", "Stale"))
    case("a timestamp 300 s old is still on time", "stale", headers(body, when=ts - 300), ok)
    case("signed by a platform certificate not held (rotated in)", "unknown serial",
         headers(body, rotated, rotated_serial), err("Signature", "UnknownKey"))
    case("the public key's id when only certificates are held", "unknown serial", headers(body),
         err("Signature", "UnknownKey"), keys=both[:1])
    pretty = json.dumps(json.loads(body), ensure_ascii=False, indent=2)
    case("the body parsed and written again (indented)", "re-serialised body", headers(body),
         err("Signature", "Invalid"), b=pretty)
    spaced = json.dumps(json.loads(body), ensure_ascii=False)
    case("the body parsed and written again (spaces after separators)", "re-serialised body", headers(body),
         err("Signature", "Invalid"), b=spaced)
    escaped = json.dumps(json.loads(body), separators=(",", ":"))
    case("the body parsed and written again (non-ASCII escaped)", "re-serialised body", headers(body),
         err("Signature", "Invalid"), b=escaped)
    case("signed by another RSA key under the public key's id", "wrong key", headers(body, stranger, PUBLIC_KEY_ID),
         err("Signature", "Invalid"))
    case("signed by the public key under the certificate's serial", "wrong key",
         headers(body, public, PLATFORM_SERIAL), err("Signature", "Invalid"))
    case("decrypted with another APIv3 key", "wrong key", headers(body), err("Signature", "Invalid"),
         key="wxpaysim0apiv30key00000000000002")
    forged = envelope(transaction, tamper=True)
    case("a resource altered, then signed by another key", "wrong key", headers(forged, stranger, PUBLIC_KEY_ID),
         err("Signature", "Invalid"), b=forged)
    case("replayed within the window: authentic, settled once by the handler", "replay", headers(body), ok,
         now=ts + 120)
    case("replayed an hour later", "replay", headers(body), err("Signature", "Stale"), now=ts + 3600)
    case("replayed a day earlier than signed (a clock set back)", "replay", headers(body),
         err("Signature", "Stale"), now=ts - 86400)
    for missing in ("signature", "serial", "timestamp", "nonce"):
        case(f"no {missing} header", "unsigned", dict(headers(body), **{missing: ""}), err("Signature", "Missing"))
    write("security.json", "The notify handler's attacks and faults (`attack`: probe, stale, unknown serial, "
          "re-serialised body, wrong key, replay, unsigned; none for the authentic ones), each run by every "
          "language through its v3 client: keys, apiv3_key and headers as in notifications.json (the client holds "
          "those keys, merchant_key.pem as its own and no automatic certificates; a header that is empty is not "
          "sent), then parse_notification(headers, body, now)", cases)


def pay_params_cases():
    merchant = key_file("merchant_key.pem")
    cases = []
    for appid, prepay, ts, nonce in [("wxd930ea5d5a258f4f", "wx04141200000000000000000000000001", 1733292000,
                                      "Q8mRvN2xKp7LcW4zTy9BdE6hJs3FaGu1"),
                                     ("wx8888888888888888", "wx201410272009395522657a690389285100", 1414561699,
                                      "5K8264ILTKCH16CQ2502SI8ZNMTM67VS")]:
        package = f"prepay_id={prepay}"
        cases.append({"name": f"JSAPI params for {appid}", "key": "merchant_key.pem", "appid": appid,
                      "prepay_id": prepay, "timestamp": ts, "nonce": nonce,
                      "expect": {"ok": {"appId": appid, "timeStamp": str(ts), "nonceStr": nonce, "package": package,
                                        "signType": "RSA",
                                        "paySign": sign(merchant, f"{appid}\n{ts}\n{nonce}\n{package}\n")}}})
    appid, prepay, ts, nonce = "wxd930ea5d5a258f4f", "wx04141200000000000000000000000001", 1733292000, "Q8mRvN2xKp7LcW4zTy9BdE6hJs3FaGu1"
    cases.append({"name": "App params", "kind": "app", "key": "merchant_key.pem", "appid": appid, "mchid": MCHID,
                  "prepay_id": prepay, "timestamp": ts, "nonce": nonce,
                  "expect": {"ok": {"appid": appid, "partnerid": MCHID, "prepayid": prepay, "package": "Sign=WXPay",
                                    "noncestr": nonce, "timestamp": str(ts),
                                    "sign": sign(merchant, f"{appid}\n{ts}\n{nonce}\n{prepay}\n")}}})
    cases.append({"name": "a prepay_id with a line break", "key": "merchant_key.pem", "appid": "wxd930ea5d5a258f4f",
                  "prepay_id": "wx1\nx", "timestamp": 1, "nonce": "n", "expect": err("InvalidInput")})
    write("pay_params.json", "JsapiPayParamsV3.sign(key, appid, prepay_id, timestamp, nonce), or with kind app "
          "AppPayParamsV3.sign(key, appid, mchid, prepay_id, timestamp, nonce)", cases)


def certificate_cases():
    aes = AESGCM(APIV3_KEY.encode())

    def entry(file, nonce, serial=None):
        pem = key_file(file)
        cert = x509.load_pem_x509_certificate(pem)
        return {"serial_no": serial or serial_hex(cert),
                "effective_time": cert.not_valid_before_utc.isoformat(), "expire_time": cert.not_valid_after_utc.isoformat(),
                "encrypt_certificate": {"algorithm": "AEAD_AES_256_GCM", "nonce": nonce, "associated_data": "certificate",
                                        "ciphertext": base64.b64encode(aes.encrypt(nonce.encode(), pem, b"certificate")).decode()}}

    serial1 = serial_hex(x509.load_pem_x509_certificate(key_file("platform_cert.pem")))
    serial2 = serial_hex(x509.load_pem_x509_certificate(key_file("platform_cert_2.pem")))
    both = json.dumps({"data": [entry("platform_cert.pem", "a1b2c3d4e5f6"), entry("platform_cert_2.pem", "f6e5d4c3b2a1")]})
    cases = [
        {"name": "two certificates during a rotation", "apiv3_key": APIV3_KEY, "body": both, "now": 1760000000,
         "expect": {"ok": [serial1, serial2]}},
        {"name": "the new one not valid yet", "apiv3_key": APIV3_KEY, "body": both, "now": 1733292000,
         "expect": {"ok": [serial1]}},
        {"name": "an entry naming another serial", "apiv3_key": APIV3_KEY,
         "body": json.dumps({"data": [entry("platform_cert.pem", "a1b2c3d4e5f6", serial=serial2)]}), "now": 1760000000,
         "expect": err("Mismatch")},
        {"name": "another APIv3 key", "apiv3_key": "wxpaysim0apiv30key00000000000002", "body": both, "now": 1760000000,
         "expect": err("Signature", "Invalid")},
        {"name": "wechatpay-java's listing", "official": True, "apiv3_key": JAVA_APIV3_KEY,
         "body": json.dumps({"data": [{"effective_time": "2023-09-19T23:15:58+08:00", "expire_time": "2028-09-17T23:15:58+08:00",
                                       "serial_no": JAVA_CERT_SERIAL, "encrypt_certificate": {
                                           "algorithm": "AEAD_AES_256_GCM", "associated_data": "certificate",
                                           "ciphertext": JAVA_CERT_CIPHERTEXT, "nonce": JAVA_CERT_NONCE}}]}),
         "now": 1760000000, "expect": {"ok": [JAVA_CERT_SERIAL]}},
    ]
    write("certificates.json", "platform_certificates(ApiV3Key(apiv3_key), body, now): expect.ok lists the serials "
          "of the certificates valid at now, in the listing's order", cases)


def answer_cases():
    def refused(code, retryable):
        return {"error": {"kind": "Business", "err_code": code, "retryable": retryable}}

    sign_error = {"code": "SIGN_ERROR", "detail": {"detail": {"issue": "sign not match"}, "field": "signature",
                                                   "location": "authorization"}, "message": "错误的签名，验签失败"}
    cases = [
        {"name": "404 ORDER_NOT_EXIST", "status": 404, "body": '{"code":"ORDER_NOT_EXIST","message":"订单不存在"}',
         "expect": refused("ORDER_NOT_EXIST", False)},
        {"name": "401 SIGN_ERROR with its detail", "status": 401, "body": json.dumps(sign_error, ensure_ascii=False),
         "expect": refused("SIGN_ERROR", False)},
        {"name": "400 PARAM_ERROR", "status": 400,
         "body": '{"code":"PARAM_ERROR","message":"参数错误","detail":{"field":"/amount/currency","value":"XYZ","issue":"Currency code is invalid","location":"body"}}',
         "expect": refused("PARAM_ERROR", False)},
        {"name": "403 OUT_TRADE_NO_USED", "status": 403, "body": '{"code":"OUT_TRADE_NO_USED","message":"商户订单号重复"}',
         "expect": refused("OUT_TRADE_NO_USED", False)},
        {"name": "429 RATELIMIT_EXCEEDED: try again later, same request", "status": 429,
         "body": '{"code":"RATELIMIT_EXCEEDED","message":"达到调用速率限制"}', "expect": refused("RATELIMIT_EXCEEDED", True)},
        {"name": "500 SYSTEM_ERROR: try again, same request", "status": 500,
         "body": '{"code":"SYSTEM_ERROR","message":"系统错误"}', "expect": refused("SYSTEM_ERROR", True)},
        {"name": "404 RESOURCE_NOT_EXISTS: no platform certificate", "status": 404,
         "body": '{"code":"RESOURCE_NOT_EXISTS","message":"无可用的平台证书，请在商户平台-API安全申请使用微信支付公钥。"}',
         "expect": refused("RESOURCE_NOT_EXISTS", False)},
        {"name": "502 from a proxy, HTML", "status": 502, "body": "<html>Bad Gateway</html>",
         "expect": {"error": {"kind": "Transport", "retryable": True}}},
        {"name": "400 without a body", "status": 400, "body": "", "expect": {"error": {"kind": "Protocol", "retryable": False}}},
        {"name": "a 200 without signature headers is a forgery", "status": 200, "body": '{"prepay_id":"wx1"}',
         "expect": err("Signature", "Missing")},
    ]
    write("answers.json", "check_answer(verifier with no key, status, no signature headers, body): WeChat's refusals "
          "typed; expect.error gives the kind, err_code and whether the same request may be sent again", cases)


def transaction_cases():
    base = {"appid": "wxd930ea5d5a258f4f", "mchid": MCHID, "description": "书店-图书 <第二版>",
            "out_trade_no": "order-0001", "notify_url": "https://shop.example/wxpay/notify", "total": 990}
    openid = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"

    def sent(p):
        """The body WeChat takes: fields in wxpay's fixed order, optional ones left out; a service
        provider's names itself sp_appid and sp_mchid, then the sub-merchant, and its payer
        sub_openid when the order names a sub_appid (sp_openid otherwise)."""
        partner = "sub_mchid" in p
        if partner:
            body = {"sp_appid": p["appid"], "sp_mchid": p["mchid"]}
            if p.get("sub_appid"):
                body["sub_appid"] = p["sub_appid"]
            body["sub_mchid"] = p["sub_mchid"]
        else:
            body = {k: p[k] for k in ("appid", "mchid")}
        body.update({k: p[k] for k in ("description", "out_trade_no", "notify_url")})
        for k in ("attach", "time_expire"):
            if p.get(k) is not None:
                body[k] = p[k]
        body["amount"] = {"total": p["total"]}
        if p["kind"] == "jsapi" and not partner:
            body["payer"] = {"openid": p["openid"]}
        elif p["kind"] == "jsapi":
            body["payer"] = {("sub_openid" if p.get("sub_appid") else "sp_openid"): p["openid"]}
        if p["kind"] == "h5":
            body["scene_info"] = {"payer_client_ip": p["payer_client_ip"], "h5_info": {"type": p["h5_type"]}}
        return json.dumps(body, ensure_ascii=False, separators=(",", ":"))

    jsapi = dict(base, kind="jsapi", openid=openid)
    cases = []

    def prepay(name, p, ok=True, error=None):
        path = ("/v3/pay/partner/transactions/" if "sub_mchid" in p else "/v3/pay/transactions/") + p["kind"]
        cases.append({"name": f"prepay: {name}", "prepay": p,
                      "expect": {"ok": {"path": path, "body": sent(p)}} if ok else error})

    prepay("a JSAPI order", jsapi)
    prepay("with attach and time_expire", dict(jsapi, attach="cart=1&x=2", time_expire="2024-12-04T14:30:00+08:00"))
    prepay("an App order", dict(base, kind="app"))
    prepay("a Native order", dict(base, kind="native"))
    prepay("an H5 order", dict(base, kind="h5", payer_client_ip="203.0.113.7", h5_type="Android"))
    prepay("an H5 order of an unknown type", dict(base, kind="h5", payer_client_ip="203.0.113.7", h5_type="PC"),
           ok=False, error=err("InvalidInput"))
    for name, change in [("an out_trade_no of 5 characters", {"out_trade_no": "o-001"}),
                         ("a notify_url over http", {"notify_url": "http://shop.example/n"}),
                         ("a notify_url with a query", {"notify_url": "https://shop.example/n?o=1"}),
                         ("0 fen", {"total": 0}), ("a description of 128 characters", {"description": "书" * 128})]:
        prepay(name, dict(jsapi, **change), ok=False, error=err("InvalidInput"))
    provider = dict(jsapi, appid="wx8888888888888888", mchid="1900000100", sub_mchid="1900000109")
    prepay("a service provider's JSAPI order, the payer under its appid", provider)
    prepay("a service provider's JSAPI order, the payer under the sub-merchant's appid",
           dict(provider, sub_appid="wx1111111111111111"))
    prepay("a service provider's Native order", dict(provider, kind="native", sub_appid="wx1111111111111111"))
    prepay("a service provider's order for a sub-merchant number that is not one",
           dict(provider, sub_mchid="19000001O9"), ok=False, error=err("InvalidInput"))
    paid = {"mchid": MCHID, "appid": "wxd930ea5d5a258f4f", "out_trade_no": "order-0001",
            "transaction_id": "4200000001202412040000000001", "trade_type": "JSAPI", "trade_state": "SUCCESS",
            "trade_state_desc": "支付成功", "success_time": "2024-12-04T14:00:00+08:00",
            "payer": {"openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"},
            "amount": {"total": 990, "payer_total": 890, "currency": "CNY", "payer_currency": "CNY"}}
    asked = {"mchid": MCHID, "appid": "wxd930ea5d5a258f4f", "out_trade_no": "order-0001", "total": 990}
    unpaid = {k: v for k, v in paid.items() if k not in ("transaction_id", "success_time")}
    unpaid = dict(unpaid, trade_state="NOTPAY", amount={"total": 990, "currency": "CNY"})

    def check(name, order, expect, **ask):
        cases.append({"name": f"order: {name}", "order": order, "asked": dict(asked, **ask), "expect": expect})

    check("paid", paid, {"ok": {"paid": True, "trade_state": "SUCCESS", "total": 990, "payer_total": 890,
                                "transaction_id": "4200000001202412040000000001"}})
    check("paid, the shop's amount not given", paid, {"ok": {"paid": True, "total": 990}}, total=None)
    check("not paid", unpaid, {"ok": {"paid": False, "trade_state": "NOTPAY", "transaction_id": None}})
    check("paid another amount", paid, err("Mismatch"), total=1990)
    check("another merchant's", dict(paid, mchid="1900000001"), err("Mismatch"))
    check("another appid's", dict(paid, appid="wx0000000000000000"), err("Mismatch"))
    check("another order", dict(paid, out_trade_no="order-0002"), err("Mismatch"))
    check("in dollars", dict(paid, amount=dict(paid["amount"], currency="USD")), err("Mismatch"))
    check("a state WeChat has no word for", dict(paid, trade_state="DONE"), err("Protocol"))
    check("paid without a transaction_id", {k: v for k, v in paid.items() if k != "transaction_id"}, err("Protocol"))
    check("an amount in yuan", dict(paid, amount={"total": "9.90"}), err("Protocol"))
    sp_paid = {k: v for k, v in paid.items() if k not in ("mchid", "appid", "payer")}
    sp_paid.update(sp_mchid="1900000100", sp_appid="wx8888888888888888", sub_mchid="1900000109",
                   sub_appid="wx1111111111111111", payer={"sub_openid": "oSubTeaHouse0Shopper000000001"})
    sp_asked = {"mchid": "1900000100", "appid": "wx8888888888888888", "sub_mchid": "1900000109",
                "sub_appid": "wx1111111111111111"}
    check("a service provider's, paid", sp_paid, {"ok": {"paid": True, "sub_mchid": "1900000109"}}, **sp_asked)
    check("a service provider's, another sub-merchant's", dict(sp_paid, sub_mchid="1900000110"), err("Mismatch"),
          **sp_asked)
    check("a service provider's, another sub_appid", dict(sp_paid, sub_appid="wx2222222222222222"), err("Mismatch"),
          **sp_asked)
    # A direct merchant's order always names its mchid: one without is not an answer to its question.
    check("a service provider's, asked as a direct merchant's", sp_paid, err("Protocol"))
    write("transactions.json", "Prepay(prepay): expect.ok is its path and the JSON body sent; and "
          "TransactionV3.check(order, asked) (asked.total null: the shop gave no amount); expect.ok lists fields "
          "of the checked order", cases)


def bill_cases():
    bill = ("交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,"
            "代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,"
            "费率备注\r\n`2024-12-04 10:00:00,`wxd930ea5d5a258f4f,`1900009191,`0,`,`4200000001202412040000000001,"
            "`order-0001,`oUpF8u,`JSAPI,`SUCCESS,`OTHERS,`CNY,`9.90,`0.00,`0,`0,`0.00,`0.00,`,`,`书, 第二版,`,`0.06000,`0.60%,"
            "`9.90,`0.00,`\r\n总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额\r\n"
            "`1,`9.90,`0.00,`0.00,`0.06000,`9.90,`0.00\r\n").encode()
    sha1 = hashlib.sha1(bill).hexdigest()
    gz = gzip.compress(bill, mtime=0)
    cases = [
        {"name": "a plain bill", "body": bill.decode(), "hash_type": "SHA1", "hash_value": sha1, "expect": {"ok": bill.decode()}},
        {"name": "a gzip bill: the hash is of the bill, not of the archive", "body_base64": base64.b64encode(gz).decode(),
         "hash_type": "SHA1", "hash_value": sha1, "expect": {"ok": bill.decode()}},
        {"name": "the hash in upper case", "body": bill.decode(), "hash_type": "SHA1", "hash_value": sha1.upper(),
         "expect": {"ok": bill.decode()}},
        {"name": "the archive's hash given instead", "body_base64": base64.b64encode(gz).decode(), "hash_type": "SHA1",
         "hash_value": hashlib.sha1(gz).hexdigest(), "expect": err("Signature", "Invalid")},
        {"name": "a bill cut short", "body": bill.decode()[:-20], "hash_type": "SHA1", "hash_value": sha1,
         "expect": err("Signature", "Invalid")},
        {"name": "a hash type wxpay does not know", "body": bill.decode(), "hash_type": "MD5",
         "hash_value": hashlib.md5(bill).hexdigest(), "expect": err("Protocol")},
    ]
    write("bills.json", "check_bill(body, hash_type, hash_value): expect.ok is the bill's text (decompressed)", cases)


def oaep_cases():
    java = private_key(JAVA_MERCHANT_KEY)
    oaep_sha1 = padding.OAEP(mgf=padding.MGF1(hashes.SHA1()), algorithm=hashes.SHA1(), label=None)
    assert java.decrypt(base64.b64decode(JAVA_OAEP_CIPHERTEXT), oaep_sha1) == b"plaintext"
    cases = [
        {"name": "wechatpay-java OAEP (SHA-1) ciphertext", "official": True, "private_key_pem": JAVA_MERCHANT_KEY,
         "ciphertext": JAVA_OAEP_CIPHERTEXT, "expect": {"ok": "plaintext"}},
        {"name": "a sensitive field for the WeChat Pay public key", "public_key": "wechatpay_public_key.pem",
         "id": PUBLIC_KEY_ID, "private_key": "wechatpay_key.pem", "plaintext": "张三", "expect": {"ok": "张三"}},
        {"name": "a sensitive field for the platform certificate", "certificate": "platform_cert.pem",
         "private_key": "platform_key.pem", "plaintext": "110101199003071234", "expect": {"ok": "110101199003071234"}},
        {"name": "215 bytes: more than RSA-2048 OAEP takes", "certificate": "platform_cert.pem",
         "private_key": "platform_key.pem", "plaintext": "x" * 215, "expect": err("InvalidInput")},
    ]
    write("oaep.json", "RSA-OAEP with SHA-1 and MGF1-SHA-1: the official ciphertext decrypts with private_key_pem to "
          "expect.ok; the others are WechatKey.encrypt_oaep(plaintext) under the public key or certificate, which "
          "the test decrypts with the private half to expect.ok (encryption is randomised)", cases)


def refund_cases():
    compact = lambda o: json.dumps(o, ensure_ascii=False, separators=(",", ":"))  # noqa: E731
    asked = {"out_trade_no": "order-0001", "out_refund_no": "refund-0001", "refund": 300, "total": 990}

    def body(r):
        b = {}
        if "transaction_id" in r:
            b["transaction_id"] = r["transaction_id"]
        if "out_trade_no" in r:
            b["out_trade_no"] = r["out_trade_no"]
        b["out_refund_no"] = r["out_refund_no"]
        for k in ("reason", "notify_url"):
            if r.get(k) is not None:
                b[k] = r[k]
        b["amount"] = {"refund": r["refund"], "total": r["total"], "currency": "CNY"}
        return compact(b)

    cases = []
    for name, r in [("by out_trade_no", asked),
                    ("by transaction_id, with a reason and a notify_url",
                     {"transaction_id": "4200000001202412040000000001", "out_refund_no": "refund-0002", "refund": 990,
                      "total": 990, "reason": "缺货", "notify_url": "https://shop.example/wxpay/refund"})]:
        cases.append({"name": f"request: {name}", "refund": r, "expect": {"ok": body(r)}})
    for name, change in [("more than the order", {"refund": 991}), ("0 fen", {"refund": 0}),
                         ("an out_refund_no with a space", {"out_refund_no": "refund 1"}),
                         ("a reason of 81 characters", {"reason": "退" * 81})]:
        cases.append({"name": f"request: {name}", "refund": dict(asked, **change), "expect": err("InvalidInput")})
    answer = {"refund_id": "50000000382019052709732678859", "out_refund_no": "refund-0001",
              "transaction_id": "4200000001202412040000000001", "out_trade_no": "order-0001", "channel": "ORIGINAL",
              "user_received_account": "招商银行信用卡0403", "create_time": "2024-12-04T14:10:00+08:00",
              "status": "PROCESSING", "amount": {"total": 990, "refund": 300, "payer_total": 990, "payer_refund": 300,
                                                 "settlement_refund": 300, "settlement_total": 990,
                                                 "discount_refund": 0, "currency": "CNY"}}
    notified = {k: v for k, v in answer.items() if k != "status"}
    notified = dict(notified, refund_status="SUCCESS", success_time="2024-12-04T14:10:05+08:00")

    def check(name, got, expect):
        cases.append({"name": f"answer: {name}", "refund": asked, "answer": got, "expect": expect})

    check("accepted, processing", answer, {"ok": {"status": "PROCESSING", "refund": 300, "total": 990}})
    check("a refund notification's resource", notified, {"ok": {"status": "SUCCESS", "success_time": "2024-12-04T14:10:05+08:00"}})
    check("another amount refunded", dict(answer, amount=dict(answer["amount"], refund=990)), err("Mismatch"))
    check("another order's total", dict(answer, amount=dict(answer["amount"], total=1990)), err("Mismatch"))
    check("another refund", dict(answer, out_refund_no="refund-9999"), err("Mismatch"))
    check("another order", dict(answer, out_trade_no="order-9999"), err("Mismatch"))
    check("a state WeChat has no word for", dict(answer, status="DONE"), err("Protocol"))
    check("no refund_id", {k: v for k, v in answer.items() if k != "refund_id"}, err("Protocol"))
    write("refunds.json", "RefundV3(refund).body() (expect.ok is the JSON sent), and RefundStateV3.check(answer, "
          "refund): expect.ok lists fields of the checked refund", cases)


def path_cases():
    cases = [
        {"name": "an order by out_trade_no", "call": "query_order", "out_trade_no": "order-0001", "mchid": MCHID,
         "expect": {"ok": f"/v3/pay/transactions/out-trade-no/order-0001?mchid={MCHID}"}},
        {"name": "an order by transaction_id", "call": "query_order", "transaction_id": "4200000001202412040000000001",
         "mchid": MCHID, "expect": {"ok": f"/v3/pay/transactions/id/4200000001202412040000000001?mchid={MCHID}"}},
        {"name": "an out_trade_no that would change the path", "call": "query_order", "out_trade_no": "order/../x",
         "mchid": MCHID, "expect": err("InvalidInput")},
        {"name": "a transaction_id with a query in it", "call": "query_order", "transaction_id": "42?mchid=1",
         "mchid": MCHID, "expect": err("InvalidInput")},
        {"name": "close", "call": "close_order", "out_trade_no": "order-0001",
         "expect": {"ok": "/v3/pay/transactions/out-trade-no/order-0001/close"}},
        {"name": "a refund", "call": "query_refund", "out_refund_no": "refund-0001@x",
         "expect": {"ok": "/v3/refund/domestic/refunds/refund-0001@x"}},
        {"name": "a refund number with a slash", "call": "query_refund", "out_refund_no": "a/b", "expect": err("InvalidInput")},
        {"name": "the trade bill", "call": "bill", "bill": "tradebill", "bill_date": "2024-12-03", "kind": "ALL",
         "expect": {"ok": "/v3/bill/tradebill?bill_date=2024-12-03&bill_type=ALL&tar_type=GZIP"}},
        {"name": "the fund flow", "call": "bill", "bill": "fundflowbill", "bill_date": "2024-12-03", "kind": "BASIC",
         "expect": {"ok": "/v3/bill/fundflowbill?bill_date=2024-12-03&account_type=BASIC&tar_type=GZIP"}},
        {"name": "v2's spelling of a day", "call": "bill", "bill": "tradebill", "bill_date": "20241203", "kind": "ALL",
         "expect": err("InvalidInput")},
        {"name": "v2's spelling of an account", "call": "bill", "bill": "fundflowbill", "bill_date": "2024-12-03",
         "kind": "Basic", "expect": err("InvalidInput")},
    ]
    write("paths.json", "the paths (with their query) that are requested and signed: query_order(out_trade_no or "
          "transaction_id, mchid), close_order(out_trade_no), query_refund(out_refund_no), bill(bill, bill_date, kind)",
          cases)


def dispatch_cases():
    """Calls of the v3 client's dispatch path that every binding must refuse
    before anything is sent, by kind and by the argument named."""
    client = {"mchid": "10000100", "appid": "wxd930ea5d5a258f4f",
              "merchant_serial": "1D3C5A7E9F0B2D4F6A8C0E1F3A5C7E9B1D3F5A70",
              "apiv3_key": "wxpaysim0apiv30key00000000000001", "private_key_file": "merchant_key.pem",
              "public_key_id": "PUB_KEY_ID_0114232025120400000000000000000001",
              "public_key_file": "wechatpay_public_key.pem", "auto_certificates": False,
              "base_url": "http://127.0.0.1:9"}
    order = {"kind": "jsapi", "description": "书店-图书", "out_trade_no": "order-0001", "total": 990,
             "openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", "notify_url": "https://shop.example/notify"}
    refund = {"out_trade_no": "order-0001", "out_refund_no": "refund-0001", "refund": 300, "total": 990}

    def refused(name, op, args, kind, field):
        return {"name": name, "op": op, "args": args, "expect": {"error": {"kind": kind, "field": field}}}

    def without(d, k):
        return {x: v for x, v in d.items() if x != k}

    cases = [
        refused("a JSAPI order without openid", "prepay", without(order, "openid"), "InvalidInput", "openid"),
        refused("an order of an unknown kind", "prepay", dict(order, kind="pos"), "InvalidInput", "kind"),
        refused("an order of 0 fen", "prepay", dict(order, total=0), "InvalidInput", "total"),
        refused("an order number of 5 characters", "prepay", dict(order, out_trade_no="o-001"), "InvalidInput",
                "out_trade_no"),
        refused("an argument prepay does not take", "prepay", dict(order, totl=1), "InvalidInput", "totl"),
        refused("a sub_appid without its sub-merchant", "prepay", dict(order, sub_appid="wx1111111111111111"),
                "InvalidInput", "sub_mchid"),
        refused("a query without a number", "query_order", {}, "InvalidInput", "out_trade_no"),
        refused("a query by both numbers", "query_order",
                {"out_trade_no": "order-0001", "transaction_id": "4200000001202412040000000001"},
                "InvalidInput", "out_trade_no"),
        refused("a close of an order number with a space", "close_order", ["order 0001"], "InvalidInput",
                "out_trade_no"),
        refused("a refund of more than the order", "refund", dict(refund, refund=1000), "InvalidInput", "refund"),
        refused("a bill date without dashes", "download_trade_bill", ["20241204"], "InvalidInput", "bill_date"),
        refused("an account type in v2's spelling", "download_fund_flow_bill", ["2024-12-04", "Basic"],
                "InvalidInput", "account_type"),
        refused("pay params of a prepay_id with a line break", "jsapi_params", ["wx1\nx"], "InvalidInput",
                "prepay_id"),
        refused("a sensitive field longer than RSA-OAEP takes", "encrypt_sensitive", ["x" * 215], "InvalidInput",
                "plaintext"),
        refused("an operation wxpay does not have", "pay_everything", {}, "InvalidInput", "operation"),
    ]
    write("dispatch.json", "ClientV3 from `client` (private_key_file and public_key_file are files in keys/; nothing "
          "is reachable at base_url), then call(op, args): each call is refused before anything is sent, with the "
          "error kind and the argument it names", [dict(c, client=client) for c in cases])


if __name__ == "__main__":
    signing_cases()
    verify_cases()
    aead_cases()
    notification_cases()
    security_cases()
    pay_params_cases()
    certificate_cases()
    answer_cases()
    transaction_cases()
    bill_cases()
    oaep_cases()
    refund_cases()
    path_cases()
    dispatch_cases()
    if CHECK:
        if STALE:
            sys.exit("stale v3 vectors (run python3 tests/vectors/v3/generate.py): " + ", ".join(STALE))
        print("v3 vectors are current")
