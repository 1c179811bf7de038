// A real OpenID Connect provider on loopback, for the sign-in tests: the `oidc-provider`
// package (the certified Node implementation) with its own sign-in pages.
//
//   node tests/oidc/provider.mjs '{"clients": [...], "accounts": [...]}'
//
// clients:  [{client_id, client_secret, redirect_uris}]
// accounts: [{id, claims: {...}, misbehave?: "audience" | "expired" | "replayed_nonce"}]
//
// A person signs in by typing the account's id as the login (any password). For an account
// that misbehaves, the ID token the token endpoint returns is changed and signed again with
// the provider's own key, so its signature still holds and only the claim is wrong: another
// client's audience, an expiry in the past, or the nonce of an earlier sign-in. Prints one
// line of JSON, {"issuer": ...}, once it is listening.
import http from 'node:http'
import { randomBytes } from 'node:crypto'
import Provider from 'oidc-provider'
import { decodeJwt, exportJWK, generateKeyPair, SignJWT } from 'jose'

const config = JSON.parse(process.argv[2] || '{}')
const accounts = new Map((config.accounts || []).map(account => [account.id, account]))

const { privateKey } = await generateKeyPair('RS256', { extractable: true })
const jwk = { ...(await exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' }

const server = http.createServer()
await new Promise(resolve => server.listen(0, '127.0.0.1', resolve))
const issuer = `http://127.0.0.1:${server.address().port}`

const provider = new Provider(issuer, {
  clients: (config.clients || []).map(client => ({
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'client_secret_basic',
    ...client
  })),
  jwks: { keys: [jwk] },
  cookies: { keys: [randomBytes(16).toString('hex')] },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'preferred_username', 'oid'] },
  // Scope claims in the ID token as well as at userinfo, as Entra ID and most providers do.
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: true } },
  pkce: { required: () => true },
  async findAccount (ctx, id) {
    const account = accounts.get(id)
    if (!account) return undefined
    return { accountId: id, claims: async () => ({ sub: id, ...account.claims }) }
  }
})

let earlierNonce = null
provider.use(async (ctx, next) => {
  await next()
  if (ctx.path !== '/token' || !ctx.body || typeof ctx.body.id_token !== 'string') return
  const claims = decodeJwt(ctx.body.id_token)
  const account = accounts.get(claims.sub)
  const misbehave = account && account.misbehave
  if (!misbehave) {
    earlierNonce = claims.nonce
    return
  }
  const now = Math.floor(Date.now() / 1000)
  if (misbehave === 'audience') claims.aud = 'another-service'
  if (misbehave === 'expired') Object.assign(claims, { iat: now - 1200, exp: now - 600 })
  if (misbehave === 'replayed_nonce') claims.nonce = earlierNonce || 'a-nonce-from-an-earlier-sign-in'
  ctx.body = {
    ...ctx.body,
    id_token: await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: jwk.kid, typ: 'JWT' }).sign(privateKey)
  }
})

server.on('request', provider.callback())
process.on('SIGTERM', () => server.close(() => process.exit(0)))
console.log(JSON.stringify({ issuer }))
