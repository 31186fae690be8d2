/**
 * The subgraphs' trust in identity tokens: one key (as before), a local JWK set of several
 * signers picked by `kid`, a JWKS URL, and a rotation at that URL without a restart.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, SignJWT, type JSONWebKeySet } from 'jose';
import { signGatewayToken } from '../../gateway/identity.js';
import { newKeyPair, publicJwks } from '../../gateway/keys.js';
import { GATEWAY_TOKEN, type Identity } from '../../schema/identity.js';
import { verifyGatewayToken } from './identity.js';

const caller: Identity = { role: 'SRE', organisation: 'FOREM', subject: 'counsellor-1' };
let served: JSONWebKeySet = { keys: [] };
let fetches = 0;
let server: Server;
let jwksUrl: URL;

beforeAll(async () => {
  server = createServer((_req, res) => {
    fetches++;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(served));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  jwksUrl = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`);
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

it('still accepts a token from the one gateway key it was given, and nothing else', async () => {
  const gateway = await newKeyPair();
  const other = await newKeyPair();
  await expect(
    verifyGatewayToken(`Bearer ${await signGatewayToken(caller, gateway.privateKey, 'Op')}`, gateway.publicKey),
  ).resolves.toEqual({ identity: caller, operation: 'Op' });
  await expect(
    verifyGatewayToken(`Bearer ${await signGatewayToken(caller, other.privateKey)}`, gateway.publicKey),
  ).rejects.toThrow('invalid or expired');
});

it('accepts tokens of every signer of a local JWK set, by kid, and refuses a stranger', async () => {
  const ours = await newKeyPair();
  const router = await newKeyPair();
  const stranger = await newKeyPair();
  const set = await publicJwks(ours.publicKey, router.publicKey);
  expect(set.keys.map((key) => key.kid)).toEqual([expect.any(String), expect.any(String)]);
  for (const signer of [ours, router]) {
    await expect(
      verifyGatewayToken(`Bearer ${await signGatewayToken(caller, signer.privateKey)}`, set),
    ).resolves.toMatchObject({ identity: caller });
  }
  await expect(
    verifyGatewayToken(`Bearer ${await signGatewayToken(caller, stranger.privateKey)}`, set),
  ).rejects.toThrow('invalid or expired');
});

it('refuses a token of a trusted key with the wrong issuer or audience, or older than 60 s', async () => {
  const gateway = await newKeyPair();
  const set = await publicJwks(gateway.publicKey);
  const kid = set.keys[0]!.kid!;
  const base = () =>
    new SignJWT({ role: caller.role, org: caller.organisation })
      .setSubject(caller.subject)
      .setProtectedHeader({ alg: 'ES256', kid });
  const now = Math.floor(Date.now() / 1000);
  const tokens = [
    await base()
      .setIssuer('someone-else')
      .setAudience(GATEWAY_TOKEN.audience)
      .setIssuedAt()
      .setExpirationTime('60s')
      .sign(gateway.privateKey),
    await base()
      .setIssuer(GATEWAY_TOKEN.issuer)
      .setAudience('elsewhere')
      .setIssuedAt()
      .setExpirationTime('60s')
      .sign(gateway.privateKey),
    await base()
      .setIssuer(GATEWAY_TOKEN.issuer)
      .setAudience(GATEWAY_TOKEN.audience)
      .setIssuedAt(now - 120)
      .setExpirationTime(now + 3600)
      .sign(gateway.privateKey),
  ];
  for (const token of tokens)
    await expect(verifyGatewayToken(`Bearer ${token}`, set)).rejects.toThrow('invalid or expired');
});

it('trusts a JWKS URL and follows a key rotation there without a restart', async () => {
  const first = await newKeyPair();
  const next = await newKeyPair();
  served = await publicJwks(first.publicKey);
  fetches = 0;
  // The URL form (cached 10 min, refetched for an unknown kid at most every 30 s)…
  await expect(
    verifyGatewayToken(`Bearer ${await signGatewayToken(caller, first.privateKey)}`, jwksUrl),
  ).resolves.toMatchObject({ identity: caller });
  await expect(
    verifyGatewayToken(`Bearer ${await signGatewayToken(caller, first.privateKey)}`, jwksUrl),
  ).resolves.toMatchObject({ identity: caller });
  expect(fetches).toBe(1);

  // …and the same jose resolver with no cooldown, to watch a rotation happen in one test.
  const trust = createRemoteJWKSet(jwksUrl, { cooldownDuration: 0 });
  const nextToken = `Bearer ${await signGatewayToken(caller, next.privateKey)}`;
  await expect(
    verifyGatewayToken(`Bearer ${await signGatewayToken(caller, first.privateKey)}`, trust),
  ).resolves.toMatchObject({ identity: caller });
  await expect(verifyGatewayToken(nextToken, trust)).rejects.toThrow('invalid or expired');
  served = await publicJwks(first.publicKey, next.publicKey); // the new key is published beside the old one
  await expect(verifyGatewayToken(nextToken, trust)).resolves.toMatchObject({ identity: caller });
  served = await publicJwks(next.publicKey); // the old key is retired
  await expect(verifyGatewayToken(nextToken, trust)).resolves.toMatchObject({ identity: caller });
});
