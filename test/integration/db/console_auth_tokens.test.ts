import { consoleAuthTokensSuite } from '../../db/console_auth_tokens_suite';

consoleAuthTokensSuite('MariaDB (mysql2)', () => process.env.NOVA_TEST_MYSQL_URL ?? 'mysql+pymysql://nova:nova@127.0.0.1/nova_test');
consoleAuthTokensSuite('PostgreSQL (pg)', () => process.env.NOVA_TEST_POSTGRES_URL ?? 'postgresql://nova:nova@127.0.0.1/nova_test');
