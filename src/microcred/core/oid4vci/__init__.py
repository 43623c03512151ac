"""OpenID for Verifiable Credential Issuance 1.0, pure: what the issuer says and checks.

Modules: :mod:`.metadata` (issuer and authorization server metadata, credential
configurations for ``dc+sd-jwt`` and ``ldp_vc``), :mod:`.offer` (credential offers by value
and by reference, as links and QR content), :mod:`.pkce` (S256), :mod:`.authorization` (the
authorization code flow: request, code, token request for both grants, token response),
:mod:`.proofs` (key proofs ``jwt`` and ``di_vp``, batches), :mod:`.credential` (the
credential request and response, ``ldp_vc`` bound to the holder).
"""
