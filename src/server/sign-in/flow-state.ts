import type { SignInProvider } from '../../common/sign-in.ts';
import { hmac, safeEqual } from '../auth/crypto.ts';

/** What the browser carries between leaving for the provider and coming back: signed, stored nowhere. */
export interface FlowState {
  provider: SignInProvider;
  districtId: string;
  state: string;
  nonce: string;
  codeVerifier: string;
  expires: number;
}

export const FLOW_COOKIE = 'satchel_sign_in_flow';
export const FLOW_TTL_MS = 10 * 60_000;
const PURPOSE = 'oidc-flow';

export function sealFlowState(secretKey: Buffer, flow: FlowState): string {
  const payload = Buffer.from(JSON.stringify(flow)).toString('base64url');
  return `${payload}.${hmac(secretKey, PURPOSE, payload)}`;
}

export function openFlowState(
  secretKey: Buffer,
  sealed: string | undefined,
  now = Date.now(),
): FlowState | null {
  const [payload, signature, ...rest] = (sealed ?? '').split('.');
  if (!payload || !signature || rest.length > 0 || !safeEqual(signature, hmac(secretKey, PURPOSE, payload)))
    return null;
  const flow = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as FlowState;
  return flow.expires > now ? flow : null;
}
