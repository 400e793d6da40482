import { InfraConfigError, parseInfraConfig } from '../lib/config';
import { rawConfigFromContext } from '../lib/context';
import { addDasboard, createApp } from '../lib/stack';

// `cdk synth|deploy -c config=<file.json> [-c ingestMode=kinesis …]`: see infra/README.md.
const app = createApp();
try {
  const cfg = parseInfraConfig(rawConfigFromContext((key) => app.node.tryGetContext(key)));
  const entry = app.node.tryGetContext('ingestEntry');
  addDasboard(app, cfg, { ingestEntry: typeof entry === 'string' ? entry : undefined });
} catch (err) {
  if (!(err instanceof InfraConfigError)) throw err;
  console.error(err.message);
  process.exit(1);
}
app.synth();
