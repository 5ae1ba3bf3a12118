/**
 * A certificate authority made on the spot, for serving the emulator and the Slack stand-in over TLS
 * the way a company CA would: a self-signed root, and server certificates it signs for the host names
 * asked for. Keys never leave the process unless written out; nothing here is for production.
 */
import { webcrypto } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 24 * 3600 * 1000;

export interface ServerCertificate {
  /** PEM of the server certificate followed by nothing else: the root is the client's to trust. */
  certPem: string;
  keyPem: string;
}

export interface IssueOptions {
  /** DNS names and IP addresses the certificate is for. Default `localhost` and `127.0.0.1`. */
  hosts?: string[];
  notBefore?: Date;
  notAfter?: Date;
}

export interface TestCa {
  /** The root certificate, PEM: what a client adds to its trusted roots (NODE_EXTRA_CA_CERTS). */
  caPem: string;
  issue(options?: IssueOptions): Promise<ServerCertificate>;
  /** Writes `ca.pem` into `folder` and returns its path. */
  writeCa(folder: string): string;
}

let serial = 1;
function nextSerial(): string {
  serial += 1;
  return serial.toString(16).padStart(2, '0');
}

function pem(label: string, der: ArrayBuffer): string {
  const base64 = Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n');
  return `-----BEGIN ${label}-----\n${base64}\n-----END ${label}-----\n`;
}

type KeyPair = webcrypto.CryptoKeyPair;

async function newKeys(): Promise<KeyPair> {
  return (await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as KeyPair;
}

function isIpAddress(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':');
}

export async function createTestCa(name = 'Viam billing test CA'): Promise<TestCa> {
  const caKeys = await newKeys();
  const now = Date.now();
  const root = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: nextSerial(),
    name: `CN=${name}`,
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(now + 365 * DAY_MS),
    keys: caKeys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const caPem = root.toString('pem');
  return {
    caPem,
    async issue(options = {}) {
      const hosts = options.hosts ?? ['localhost', '127.0.0.1'];
      const keys = await newKeys();
      const cert = await x509.X509CertificateGenerator.create({
        serialNumber: nextSerial(),
        subject: `CN=${hosts[0] ?? 'localhost'}`,
        issuer: root.subject,
        notBefore: options.notBefore ?? new Date(now - DAY_MS),
        notAfter: options.notAfter ?? new Date(now + 30 * DAY_MS),
        signingKey: caKeys.privateKey,
        publicKey: keys.publicKey,
        signingAlgorithm: ALGORITHM,
        extensions: [
          new x509.BasicConstraintsExtension(false, undefined, true),
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
          new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
          new x509.SubjectAlternativeNameExtension(
            hosts.map((host) => (isIpAddress(host) ? { type: 'ip', value: host } : { type: 'dns', value: host })),
          ),
          await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
        ],
      });
      const keyDer = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
      return { certPem: cert.toString('pem'), keyPem: pem('PRIVATE KEY', keyDer) };
    },
    writeCa(folder) {
      const file = path.join(folder, 'ca.pem');
      writeFileSync(file, caPem);
      return file;
    },
  };
}
