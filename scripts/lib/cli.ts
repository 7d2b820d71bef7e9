// Shared ending for the command-line tools: known errors print their message and exit 1.
import { CouchUnreachable } from './couch-admin';
import { ProvisionError } from './steps';

export async function runCli(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (e) {
    if (e instanceof ProvisionError || e instanceof CouchUnreachable || e instanceof UsageError) {
      console.error(`\n${e.message}`);
      process.exit(e instanceof UsageError ? 2 : 1);
    }
    throw e;
  }
}

export class UsageError extends Error {}
