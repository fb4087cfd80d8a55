import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { networkDatabaseSuite } from './db_suite';

networkDatabaseSuite('SQLite', () => `sqlite:///${path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nova-db-')), 'nova.sqlite')}`);
