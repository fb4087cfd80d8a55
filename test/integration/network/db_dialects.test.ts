import { networkDatabaseSuite } from '../../network/db_suite';

// The databases .ci/run prepares (scripts/ci/setup-host.sh); override to test others.
networkDatabaseSuite('MariaDB (mysql2)', () => process.env.NOVA_TEST_MYSQL_URL ?? 'mysql+pymysql://nova:nova@127.0.0.1/nova_test');
networkDatabaseSuite('PostgreSQL (pg)', () => process.env.NOVA_TEST_POSTGRES_URL ?? 'postgresql://nova:nova@127.0.0.1/nova_test');
