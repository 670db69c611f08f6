"""Getting started: ZapSign's client against tessera's built-in emulator, so no account is needed.

Run it with `python docs/examples/getting_started.py`. With a real account, drop the emulator and its
`base_url`, and give your own api_token.
"""

import asyncio

from tessera import errors, zapsign
from tessera.testing import ZapSignEmulator


async def main() -> None:
    # A real HTTP server on 127.0.0.1 that answers as ZapSign does, seeded with a few documents.
    emulator = ZapSignEmulator()
    async with emulator:
        auth = zapsign.ApiTokenAuth(emulator.api_token)
        async with zapsign.Client(auth=auth, base_url=emulator.base_url) as zs:
            page = await zs.docs.list_docs(page=1)
            print(f"{page.count} documents; the first is {page.results[0].name!r}")
            new = await zs.docs.create_doc(
                body=zapsign.models.CreateDocRequest(
                    name="NDA",
                    url_pdf="https://example.com/nda.pdf",
                    signers=[zapsign.models.SignerRequest(name="Ana", email="ana@example.com")],
                )
            )
            print(f"created {new.name!r}: Ana signs at {new.signers[0].sign_url}")
            try:
                await zs.docs.get_doc(doc_token="no-such-document")
            except errors.NotFound as error:
                print(f"{error.status}: {error.message}")


if __name__ == "__main__":
    asyncio.run(main())
