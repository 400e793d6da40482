import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { configSchema } from '../../lib/config/schema';
import { type InfraConfig, InfraConfigError } from './config';

/** The variable ECS fills from the OIDC client secret; the config file's `oidc.clientSecretEnv`. */
export const OIDC_CLIENT_SECRET_ENV = 'OIDC_CLIENT_SECRET';

/**
 * The dashboard reads OIDC from the dasboard config file (`appConfigFile`); the deployment names
 * the same issuer and client. Synth stops when the two disagree, before anything is deployed.
 */
export function checkAppConfig(repoRoot: string, cfg: InfraConfig): void {
  if (!cfg.appConfigFile) return;
  const path = resolve(repoRoot, cfg.appConfigFile);
  if (!existsSync(path)) throw new InfraConfigError(`appConfigFile ${cfg.appConfigFile} does not exist`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new InfraConfigError(`appConfigFile ${cfg.appConfigFile} is not valid JSON`);
  }
  const parsed = configSchema.safeParse(json);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new InfraConfigError(
      `appConfigFile ${cfg.appConfigFile} is not a valid dasboard config:\n${lines.join('\n')}`,
    );
  }
  const oidc = parsed.data.oidc;
  const want = cfg.dashboard.oidc;
  const problems = [
    !oidc && 'it has no oidc section',
    oidc &&
      oidc.issuer !== want.issuer &&
      `oidc.issuer is ${oidc.issuer}, the deployment says ${want.issuer}`,
    oidc &&
      oidc.clientId !== want.clientId &&
      `oidc.clientId is ${oidc.clientId}, the deployment says ${want.clientId}`,
    oidc &&
      oidc.clientSecretEnv !== OIDC_CLIENT_SECRET_ENV &&
      `oidc.clientSecretEnv must be "${OIDC_CLIENT_SECRET_ENV}"`,
  ].filter((p): p is string => typeof p === 'string');
  if (problems.length > 0) {
    throw new InfraConfigError(
      `appConfigFile ${cfg.appConfigFile}:\n${problems.map((p) => `  ${p}`).join('\n')}`,
    );
  }
}
