// The three local replicas a terminal keeps, named per store.
import { dbName } from '../../../design-docs/lib/names';
import type { TerminalConfig } from '../device/terminal-config';
import { localDb, remoteDb, type Db, type RemoteAuth } from './pouch';

export interface TerminalDbs {
  ops: Db;
  catalog: Db;
  directory: Db;
}

export interface RemoteDbs extends TerminalDbs {
  auth: RemoteAuth;
}

let opened: { key: string; dbs: TerminalDbs } | null = null;

export function terminalDbs(config: TerminalConfig): TerminalDbs {
  const key = `${config.tenant}_${config.store}`;
  if (opened?.key !== key) {
    opened = {
      key,
      dbs: { ops: localDb(`${key}_ops`), catalog: localDb(`${config.tenant}_catalog`), directory: localDb(`${key}_directory`) },
    };
    void opened.dbs.ops.createIndex({ index: { fields: ['type', 'terminal'] } });
  }
  return opened.dbs;
}

export function remoteDbs(config: TerminalConfig): RemoteDbs {
  const auth = { username: config.userName, password: config.secret };
  return {
    auth,
    ops: remoteDb(dbName.ops(config.tenant, config.store), auth),
    catalog: remoteDb(dbName.catalog(config.tenant), auth),
    directory: remoteDb(dbName.directory(config.tenant, config.store), auth),
  };
}
