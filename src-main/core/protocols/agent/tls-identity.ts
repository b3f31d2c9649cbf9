// The console's TLS identity for the agent protocol: an ECDSA P-256 key and a self-signed
// certificate (10 years), made once and kept by the agents capability (the key sealed at rest).
// Agents do not trust a CA: each pins this certificate's SHA-256 fingerprint at deploy time,
// so a console that loses its identity must redeploy its agents, and no other certificate,
// however issued, is accepted. Issued with @peculiar/x509 (Node's crypto parses X.509 but
// cannot issue a certificate); the key is made with Node's WebCrypto.
import { createPrivateKey, webcrypto, X509Certificate } from 'node:crypto';
import * as x509 from '@peculiar/x509';

export interface ConsoleTlsIdentity {
  readonly certPem: string;
  readonly keyPem: string;
  /** SHA-256 of the certificate's DER, colon-separated upper-case hex (Node's fingerprint256). */
  readonly fingerprint256: string;
}

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 86_400_000;

export async function createConsoleIdentity(commonName = 'FleetDeck console', now = Date.now()): Promise<ConsoleTlsIdentity> {
  x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
  const keys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(8))).toString('hex').replace(/^[89a-f]/, '1'),
    name: `CN=${commonName.replace(/[,=+<>#;"\\]/g, ' ')}`,
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(now + 3650 * DAY_MS),
    keys,
    signingAlgorithm: ALG,
    extensions: [new x509.BasicConstraintsExtension(false, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true)],
  });
  const certPem = cert.toString('pem');
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const keyPem = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }).export({ format: 'pem', type: 'pkcs8' }).toString();
  return { certPem, keyPem, fingerprint256: fingerprintOf(certPem) };
}

/** The fingerprint agents pin, of a PEM certificate. */
export function fingerprintOf(certPem: string): string {
  return new X509Certificate(certPem).fingerprint256;
}
