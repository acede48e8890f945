// A real OpenID provider for the single sign-on tests: npm `oidc-provider` (a certified
// OpenID Connect implementation) with one confidential client registered for Huddle's
// callback, the provider's own development sign-in form (any login; the login typed is
// the account id and its email), and consent granted for that first-party client.
//
// The provider is reached through a small proxy on the issuer's port: it passes every
// request through unchanged, except that while `tamper` is on it rewrites the ID token in
// the token endpoint's answer (another address in the payload, the signature kept), as an
// attacker between Huddle and the provider would.

import http from 'node:http';
import { createServer } from 'node:net';
import Provider from 'oidc-provider';

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function listen(server, port) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
}

/** Another address in the ID token's payload; header and signature untouched. */
export function tamperIdToken(idToken, email) {
  const [header, payload, signature] = idToken.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  claims.email = email;
  const forged = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return [header, forged, signature].join('.');
}

/**
 * Starts the provider and its proxy. `redirectUri`: Huddle's callback. Returns
 * `{ issuer, clientId, clientSecret, setTamper(email | null), tokenRequests, close() }`.
 */
export async function startProvider({ redirectUri }) {
  const providerPort = await freePort();
  const proxyPort = await freePort();
  const issuer = `http://127.0.0.1:${proxyPort}`;
  const clientId = 'huddle';
  const clientSecret = 'e2e-client-secret-only-for-the-test-provider';

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    // The login typed on the development form is the account: its address, verified.
    async findAccount(ctx, id) {
      return {
        accountId: id,
        async claims() {
          const local = id.split('@')[0] ?? id;
          return { sub: id, email: id, email_verified: true, name: `SSO ${local}` };
        },
      };
    },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    // The claims of the requested scopes go into the ID token itself, as most hospital
    // providers (Entra ID, Okta, Keycloak) put them.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
    // Huddle is a first-party client: no consent screen.
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId
        || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
    cookies: { keys: ['e2e-cookie-key-only-for-the-test-provider'] },
  });
  const providerServer = http.createServer(provider.callback());
  await listen(providerServer, providerPort);

  let tamperWith = null;
  const tokenRequests = [];
  const proxy = http.createServer((req, res) => {
    const upstream = http.request(
      { host: '127.0.0.1', port: providerPort, method: req.method, path: req.url, headers: req.headers },
      (up) => {
        const isToken = req.method === 'POST' && req.url.startsWith('/token');
        if (!isToken) {
          res.writeHead(up.statusCode, up.headers);
          up.pipe(res);
          return;
        }
        const chunks = [];
        up.on('data', (c) => chunks.push(c));
        up.on('end', () => {
          let body = Buffer.concat(chunks);
          tokenRequests.push({ status: up.statusCode, tampered: Boolean(tamperWith) });
          if (tamperWith && up.statusCode === 200) {
            const json = JSON.parse(body.toString('utf8'));
            json.id_token = tamperIdToken(json.id_token, tamperWith);
            body = Buffer.from(JSON.stringify(json));
          }
          const headers = { ...up.headers, 'content-length': String(body.length) };
          delete headers['transfer-encoding'];
          res.writeHead(up.statusCode, headers);
          res.end(body);
        });
      },
    );
    upstream.on('error', (e) => {
      res.writeHead(502);
      res.end(String(e));
    });
    req.pipe(upstream);
  });
  await listen(proxy, proxyPort);

  return {
    issuer,
    clientId,
    clientSecret,
    tokenRequests,
    setTamper(email) {
      tamperWith = email;
    },
    async close() {
      await Promise.all([
        new Promise((r) => proxy.close(r)),
        new Promise((r) => providerServer.close(r)),
      ]);
      proxy.closeAllConnections?.();
      providerServer.closeAllConnections?.();
    },
  };
}
