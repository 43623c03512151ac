"""OpenID for Verifiable Presentations 1.0, pure: requests, DCQL, wallet answers, verifier checks.

Modules: :mod:`.claims_path` (claims path pointers), :mod:`.dcql` (the query language),
:mod:`.matching` (which held credentials answer a query, what they disclose), :mod:`.request`
(the authorization request, signed request objects, wallet links), :mod:`.wallet` (the
holder's choice and the VP Token), :mod:`.response` (the verifier's checks: state, replay,
nonce, audience, holder binding, the query's rules).
"""
