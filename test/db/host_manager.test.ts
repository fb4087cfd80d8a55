import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { hostManagerSuite } from './host_manager_suite';

hostManagerSuite('SQLite', () => `sqlite:///${path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nova-db-')), 'nova.sqlite')}`);
