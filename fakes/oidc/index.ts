export type { FakeOidcAccount, FakeOidcClient } from './provider.ts';
export { type FakeOidc, type FakeOidcKind, startFakeOidc } from './server.ts';
export { ID_TOKEN_FAULTS, type IdTokenFault } from './tokens.ts';
