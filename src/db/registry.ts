import { Sequelize } from 'sequelize';
import { initMigrationModels } from './models/migration';
import { initCertificateModels } from './models/certificate';
import { initEc2IdMappingModels } from './models/ec2_id_mapping';
import { initIdentityModels } from './models/identity';
import { initImageModels } from './models/image';
import { initConsoleAuthModels } from './models/console_auth_token';
import { initNetworkModels } from './models/network';
import { initSchedulerModels } from './models/scheduler';

/**
 * Model groups owned by other services (identity, image, network, ...). Each adds its init function
 * here so that one Database binds every model; their tables come from numbered migrations.
 */
export const modelInitializers: Array<(sequelize: Sequelize) => void> = [
  initMigrationModels,
  initIdentityModels,
  initImageModels,
  initCertificateModels,
  initConsoleAuthModels,
  initNetworkModels,
  initEc2IdMappingModels,
  initSchedulerModels,
];
