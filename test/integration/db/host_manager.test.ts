import { hostManagerSuite } from '../../db/host_manager_suite';

hostManagerSuite('MariaDB (mysql2)', () => process.env.NOVA_TEST_MYSQL_URL ?? 'mysql+pymysql://nova:nova@127.0.0.1/nova_test');
hostManagerSuite('PostgreSQL (pg)', () => process.env.NOVA_TEST_POSTGRES_URL ?? 'postgresql://nova:nova@127.0.0.1/nova_test');
