import { opt } from '../opt';

export const database = {
  connection: opt.str('', 'Database URL: sqlite:///path (default $state_path/nova.sqlite), mysql+pymysql://user:pass@host/db, postgresql://user:pass@host/db.', { secret: true }),
  max_pool_size: opt.int(5, 'Connections kept open in the pool.', { min: 1 }),
  connection_debug: opt.int(0, 'Log SQL statements when 100.', { min: 0, max: 100 }),
  max_retries: opt.int(10, 'Attempts to connect at start-up (-1: forever).', { min: -1 }),
  retry_interval: opt.float(1, 'Seconds between connection attempts.', { min: 0 }),
};
