import { databaseSuite } from '../../db/suite';

// The databases .ci/run prepares (scripts/ci/setup-host.sh); override to test others.
databaseSuite('MariaDB (mysql2)', () => process.env.NOVA_TEST_MYSQL_URL ?? 'mysql+pymysql://nova:nova@127.0.0.1/nova_test');
databaseSuite('PostgreSQL (pg)', () => process.env.NOVA_TEST_POSTGRES_URL ?? 'postgresql://nova:nova@127.0.0.1/nova_test');
