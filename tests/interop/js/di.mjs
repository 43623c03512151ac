// Digital Bazaar's Data Integrity stack as a command for microcred's interoperability tests.
//
// Reads one JSON request on stdin, writes one JSON answer on stdout:
//   {"action": "generate", "curve": "Ed25519" | "P-256" | "P-384"}
//     -> {publicKeyMultibase, secretKeyMultibase, did, verificationMethod}
//   {"action": "sign", "document", "suite", "key": {publicKeyMultibase, secretKeyMultibase},
//    "created"?, "mode"?: "credential" | "document"}
//     -> {document, loaded}
//   {"action": "verify", "document", "now"?, "mode"?: "credential" | "document"}
//     -> {verified, errors, proofs: [{id, cryptosuite, verified, errors}], loaded}
//        (jsonld-signatures calls a proof set verified when ANY of its proofs verifies: look
//        at `proofs` for each one)
//   {"action": "canonize", "document", "algorithm": "RDFC-1.0" | "JCS", "hash"?: "SHA-384"}
//     -> {canonical} (RDFC-1.0 as the rdfc cryptosuites run it: safe mode, no base)
//   {"action": "batch", "requests": [request, ...]}
//     -> {results: [answer | {"error": message}, ...]} (one node start for many requests)
// suite: eddsa-rdfc-2022, ecdsa-rdfc-2019, eddsa-jcs-2022 or ecdsa-jcs-2019.
// mode "credential" (default) goes through @digitalbazaar/vc (issue / verifyCredential; the
// issuer must be the key's controller), "document" through jsonld-signatures with an
// assertionMethod proof purpose.
//
// No network: the document loader serves only microcred's packaged contexts
// (src/microcred/core/contexts/index.json) and did:key documents derived from the identifier
// itself; anything else throws. `loaded` lists every URL it was asked for.
import {readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {
  createSignCryptosuite as ecdsaJcsSign,
  createVerifyCryptosuite as ecdsaJcsVerify
} from '@digitalbazaar/ecdsa-jcs-2019-cryptosuite';
import {cryptosuite as ecdsaRdfc2019} from '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {
  createSignCryptosuite as jcsSign,
  createVerifyCryptosuite as jcsVerify
} from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import canonicalize from 'canonicalize';
import jsigs from 'jsonld-signatures';
import jsonld from 'jsonld';

const HERE = dirname(fileURLToPath(import.meta.url));
const CONTEXTS = join(HERE, '..', '..', '..', 'src', 'microcred', 'core', 'contexts');
const INDEX = JSON.parse(readFileSync(join(CONTEXTS, 'index.json'), 'utf8'));
const MULTIKEY_CONTEXT = 'https://w3id.org/security/multikey/v1';
const DID_CONTEXT = 'https://www.w3.org/ns/did/v1';
let loaded = [];

function didKeyDocument(url) {
  const [did, fragment] = url.split('#');
  const multibase = did.slice('did:key:'.length);
  const vmId = `${did}#${multibase}`;
  const method = {
    '@context': MULTIKEY_CONTEXT,
    id: vmId,
    type: 'Multikey',
    controller: did,
    publicKeyMultibase: multibase
  };
  if(fragment !== undefined) {
    if(fragment !== multibase) {
      throw new Error(`did:key has no verification method #${fragment}`);
    }
    return method;
  }
  const {'@context': _, ...embedded} = method;
  return {
    '@context': [DID_CONTEXT, MULTIKEY_CONTEXT],
    id: did,
    verificationMethod: [embedded],
    assertionMethod: [vmId],
    authentication: [vmId],
    capabilityInvocation: [vmId],
    capabilityDelegation: [vmId]
  };
}

async function documentLoader(url) {
  loaded.push(url);
  let document;
  if(Object.hasOwn(INDEX, url)) {
    document = JSON.parse(readFileSync(join(CONTEXTS, INDEX[url]), 'utf8'));
  } else if(url.startsWith('did:key:z')) {
    document = didKeyDocument(url);
  } else {
    throw new Error(`document loader refused ${url}: not a packaged context (no network)`);
  }
  return {contextUrl: null, documentUrl: url, document, tag: 'static'};
}

const SIGN_SUITES = {
  'eddsa-rdfc-2022': () => eddsaRdfc2022,
  'ecdsa-rdfc-2019': () => ecdsaRdfc2019,
  'eddsa-jcs-2022': () => jcsSign(),
  'ecdsa-jcs-2019': () => ecdsaJcsSign()
};

async function importKey({publicKeyMultibase, secretKeyMultibase}) {
  const did = `did:key:${publicKeyMultibase}`;
  const description = {
    '@context': MULTIKEY_CONTEXT,
    type: 'Multikey',
    id: `${did}#${publicKeyMultibase}`,
    controller: did,
    publicKeyMultibase,
    secretKeyMultibase
  };
  const library = publicKeyMultibase.startsWith('z6Mk') ? Ed25519Multikey : EcdsaMultikey;
  return library.from(description);
}

async function generate({curve}) {
  const pair = curve === 'Ed25519' ?
    await Ed25519Multikey.generate() : await EcdsaMultikey.generate({curve});
  const exported = await pair.export({publicKey: true, secretKey: true});
  const did = `did:key:${exported.publicKeyMultibase}`;
  return {
    publicKeyMultibase: exported.publicKeyMultibase,
    secretKeyMultibase: exported.secretKeyMultibase,
    did,
    verificationMethod: `${did}#${exported.publicKeyMultibase}`
  };
}

async function sign({document, suite, key, created, mode = 'credential'}) {
  const cryptosuite = SIGN_SUITES[suite]?.();
  if(!cryptosuite) {
    throw new Error(`unknown suite ${suite}`);
  }
  const pair = await importKey(key);
  const proof = new DataIntegrityProof({
    signer: pair.signer(), cryptosuite, date: created ? new Date(created) : undefined
  });
  const signed = mode === 'credential' ?
    await vc.issue({credential: document, suite: proof, documentLoader}) :
    await jsigs.sign(document, {
      suite: proof, purpose: new jsigs.purposes.AssertionProofPurpose(), documentLoader
    });
  return {document: signed, loaded};
}

function messages(error) {
  if(!error) {
    return [];
  }
  const list = Array.isArray(error) ? error : [error];
  return list.flatMap(e => e?.errors ? messages(e.errors) : [String(e?.message ?? e)]);
}

async function verify({document, now, mode = 'credential'}) {
  const suite = [
    new DataIntegrityProof({cryptosuite: eddsaRdfc2022}),
    new DataIntegrityProof({cryptosuite: ecdsaRdfc2019}),
    new DataIntegrityProof({cryptosuite: jcsVerify()}),
    new DataIntegrityProof({cryptosuite: ecdsaJcsVerify()})
  ];
  const result = mode === 'credential' ?
    await vc.verifyCredential({credential: document, suite, documentLoader, now}) :
    await jsigs.verify(document, {
      suite, purpose: new jsigs.purposes.AssertionProofPurpose(), documentLoader
    });
  const proofs = (result.results ?? []).map(r => ({
    id: r.proof?.id ?? null,
    cryptosuite: r.proof?.cryptosuite ?? null,
    verified: r.verified === true,
    errors: messages(r.error)
  }));
  return {
    verified: result.verified === true,
    errors: [...new Set([...messages(result.error), ...proofs.flatMap(p => p.errors)])],
    proofs,
    loaded
  };
}

async function canonize({document, algorithm, hash = 'SHA-256'}) {
  if(algorithm === 'JCS') {
    return {canonical: canonicalize(document)};
  }
  const canonical = await jsonld.canonize(document, {
    safe: true, base: null, rdfDirection: 'i18n-datatype', documentLoader,
    canonizeOptions: {algorithm, messageDigestAlgorithm: hash, format: 'application/n-quads'}
  });
  return {canonical, loaded};
}

const ACTIONS = {canonize, generate, sign, verify};

async function run(request) {
  const action = ACTIONS[request?.action];
  if(!action) {
    throw new Error(`unknown action ${request?.action}`);
  }
  loaded = [];
  return action(request);
}

async function batch({requests}) {
  const results = [];
  for(const request of requests) {
    try {
      results.push(await run(request));
    } catch(error) {
      results.push({error: String(error?.message ?? error)});
    }
  }
  return {results};
}

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk);
  }
  const request = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const answer = request.action === 'batch' ? await batch(request) : await run(request);
  process.stdout.write(JSON.stringify(answer) + '\n');
}

main().catch(error => {
  process.stderr.write(`di.mjs: ${error?.stack ?? error}\n`);
  process.exit(1);
});
