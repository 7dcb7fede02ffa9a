/** Custom connections (client_credentials, one organisation, no refresh token): connect with client id + secret. */
import type { Env } from "../env";
import { ApiError } from "../http/errors";
import { recordGrant } from "../store/organisations";
import { XeroClient } from "../xero/client";
import { xeroConfig } from "../xero/config";
import { clientCredentials, listConnections, XeroGrantError } from "../xero/identity";
import { fromXero } from "../xero/models";
import { TokenCipher } from "./crypto";

export async function connectCustom(env: Env, userId: string, clientId: string, clientSecret: string) {
  const cfg = xeroConfig(env);
  let tokens: Awaited<ReturnType<typeof clientCredentials>>;
  try {
    tokens = await clientCredentials(cfg, clientId, clientSecret);
  } catch (e) {
    if (e instanceof XeroGrantError) {
      throw new ApiError(
        400,
        "custom_connection_rejected",
        "Xero did not accept these custom connection credentials.",
      );
    }
    throw e;
  }
  const client = new XeroClient({ config: cfg, token: async () => tokens.access_token });
  const body = await client.get<{ Organisations?: unknown[] }>("/Organisation");
  const org = fromXero("Organisation", body.Organisations)[0];
  const connections = await listConnections(cfg, tokens.access_token).catch(() => []);
  const tenantId = connections[0]?.tenantId ?? org?.organisationID;
  if (!tenantId)
    throw new ApiError(502, "xero_identity", "Xero did not say which organisation this connection reaches.");
  const name = org?.name ?? connections[0]?.tenantName ?? tenantId;
  const cipher = await TokenCipher.fromSecret(env.TOKEN_ENCRYPTION_KEY);
  await recordGrant(env.DB, cipher, {
    kind: "custom",
    userId,
    tokens: { accessToken: tokens.access_token, expiresInSeconds: tokens.expires_in },
    clientCredentials: { clientId, clientSecret },
    organisations: [{ id: tenantId, name, xeroConnectionId: connections[0]?.id }],
  });
  return { id: tenantId, name };
}
