import { Sequelize } from 'sequelize';
import { initMigrationModels } from './models/migration';

/**
 * Model groups owned by other services (identity, image, network, ...). Each adds its init function
 * here so that one Database binds every model; their tables come from numbered migrations.
 */
export const modelInitializers: Array<(sequelize: Sequelize) => void> = [
  initMigrationModels,
];
