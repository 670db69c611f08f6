"""ZapSign's template library (create from a DOCX, list, detail, update, form, delete, annex), end to end."""

from __future__ import annotations

import io
import zipfile

import pytest

from tessera import errors, zapsign
from tessera.testing import ZapSignEmulator

M = zapsign.models
# Word splits text into runs anywhere, a variable included, as here in {{CPF}}.
DOCUMENT_XML = (
    "<w:document><w:body><w:p><w:r><w:t>Eu, {{NOME COMPLETO}}, CPF {{</w:t></w:r><w:r><w:t>CPF}}, "
    "aceito. {{NOME COMPLETO}}</w:t></w:r></w:p></w:body></w:document>"
)


def docx(document_xml: str = DOCUMENT_XML) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", document_xml)
    return buffer.getvalue()


async def created(zs: zapsign.Client) -> M.Template:
    return await zs.templates.create_template(
        body=M.CreateTemplateRequest(
            name="Termo",
            base64_docx=docx(),
            observers=["juridico@example.com"],
            first_signer=M.TemplateFirstSigner(auth_mode="tokenEmail", qualification="Aprovador"),
        )
    )


async def test_a_template_made_from_a_docx_asks_for_its_variables(zs_emu: ZapSignEmulator, zs: zapsign.Client) -> None:
    template = await created(zs)
    assert [i.variable for i in template.inputs] == ["{{NOME COMPLETO}}", "{{CPF}}"]
    assert template.inputs[1] == M.TemplateInput(
        variable="{{CPF}}", input_type="input", label="CPF", help_text="", options="", required=True, order=2
    )
    assert (template.signers[0].auth_mode, template.signers[0].qualification) == ("tokenEmail", "Aprovador")
    assert template.notify_extra_emails == "juridico@example.com"
    assert zs_emu.templates[template.token].variables == ("NOME COMPLETO", "CPF")

    # The detail has no form fields, as documented; a document made from the template fills its variables.
    detail = await zs.templates.get_template(template_token=template.token)
    assert (detail.name, detail.custom_intro, detail.inputs) == ("Termo", None, template.inputs)
    doc = await zs.templates.create_doc_from_template(
        body=M.CreateDocFromTemplateRequest(
            template_id=template.token, signer_name="Ana", data=[M.TemplateField(de="{{CPF}}", para="123")]
        )
    )
    answers = (await zs.docs.get_doc(doc_token=doc.token)).answers
    assert answers == [M.Answer(variable="NOME COMPLETO", value=""), M.Answer(variable="CPF", value="123")]


async def test_a_template_needs_a_file_and_a_base64_one_must_be_a_docx(zs: zapsign.Client) -> None:
    with pytest.raises(errors.BadRequest) as caught:
        await zs.templates.create_template(body=M.CreateTemplateRequest(name="Sem arquivo"))
    assert caught.value.body == {"non_field_errors": ["Send docx_url or base64_docx."]}
    with pytest.raises(errors.BadRequest) as caught:
        await zs.templates.create_template(body=M.CreateTemplateRequest(base64_docx=b"not a zip"))
    assert caught.value.body == {"base64_docx": ["The file is not a valid DOCX."]}
    from_url = await zs.templates.create_template(body=M.CreateTemplateRequest(docx_url="https://example.com/t.docx"))
    assert from_url.inputs == []


async def test_templates_are_listed_page_after_page(zs_emu: ZapSignEmulator, zs: zapsign.Client) -> None:
    for n in range(19):
        await zs.templates.create_template(body=M.CreateTemplateRequest(name=f"T{n}", docx_url="https://x.co/t.docx"))
    first = await zs.templates.list_templates()
    assert (first.count, len(first.results), first.next is not None) == (21, 20, True)
    names = [template.name async for template in zs.templates.list_templates()]
    assert names == [template.name for template in zs_emu.templates.values()]
    assert zs_emu.counts["GET /templates/"] == 3


async def test_an_update_changes_the_settings(zs_emu: ZapSignEmulator, zs: zapsign.Client) -> None:
    template = await created(zs)
    updated = await zs.templates.update_template(
        template_token=template.token,
        body=M.UpdateTemplateRequest(name="Termo v2", lang="es", folder_path="/rh/", active=False),
    )
    assert (updated.name, updated.lang, updated.folder_path, updated.active) == ("Termo v2", "es", "/rh/", False)
    assert zs_emu.templates[template.token].name == "Termo v2"
    assert (await zs.templates.get_template(template_token=template.token)).active is False


async def test_the_form_configures_each_input(zs_emu: ZapSignEmulator, zs: zapsign.Client) -> None:
    template = await created(zs)
    form = await zs.templates.update_template_form(
        body=M.UpdateTemplateFormRequest(
            template_id=template.token,
            custom_intro="Bem vindo",
            inputs=[
                M.TemplateFormInput(variable="{{CPF}}", input_type="cpf", label="Número de CPF", order=1),
                M.TemplateFormInput(variable="{{NOME COMPLETO}}", input_type="signer_fullname", order=2),
            ],
        )
    )
    assert form.custom_intro == "Bem vindo"
    assert [(i.variable, i.input_type, i.label) for i in form.inputs] == [
        ("{{CPF}}", "cpf", "Número de CPF"),
        ("{{NOME COMPLETO}}", "signer_fullname", "NOME COMPLETO"),
    ]
    with pytest.raises(errors.BadRequest):
        await zs.templates.update_template_form(
            body=M.UpdateTemplateFormRequest(template_id=template.token, inputs=[M.TemplateFormInput(variable="{{X}}")])
        )
    with pytest.raises(errors.NotFound):
        await zs.templates.update_template_form(body=M.UpdateTemplateFormRequest(template_id="nope"))


async def test_a_deleted_template_is_gone(zs_emu: ZapSignEmulator, zs: zapsign.Client) -> None:
    template = await created(zs)
    deleted = await zs.templates.delete_template(template_token=template.token)
    assert deleted.message == "Modelo excluído com sucesso."
    assert template.token not in zs_emu.templates
    with pytest.raises(errors.NotFound):
        await zs.templates.get_template(template_token=template.token)


async def test_an_annex_made_from_a_template(zs_emu: ZapSignEmulator, zs: zapsign.Client) -> None:
    template = await created(zs)
    doc = await zs.docs.create_doc(
        body=M.CreateDocRequest(name="NDA", url_pdf="https://x.co/a.pdf", signers=[M.SignerRequest(name="Ana")])
    )
    extra = await zs.docs.upload_extra_doc_from_template(
        doc_token=doc.token,
        body=M.ExtraDocFromTemplateRequest(template_id=template.token, data=[M.TemplateField(de="{{CPF}}", para="1")]),
    )
    assert (extra.name, extra.signed_file) == ("Termo (NDA)", None)
    assert [e.token for e in zs_emu.store.document(doc.token).extra_docs] == [extra.token]

    await zs.templates.update_template(template_token=template.token, body=M.UpdateTemplateRequest(active=False))
    with pytest.raises(errors.PermissionDenied):
        await zs.docs.upload_extra_doc_from_template(
            doc_token=doc.token, body=M.ExtraDocFromTemplateRequest(template_id=template.token)
        )
    with pytest.raises(errors.NotFound):
        await zs.docs.upload_extra_doc_from_template(
            doc_token=doc.token, body=M.ExtraDocFromTemplateRequest(template_id="nope")
        )
