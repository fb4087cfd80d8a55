import { DataTypes, Model, Sequelize } from 'sequelize';
import { common } from '../types';

/** One move of an instance between nodes (Nova's Migration): resize, cold migration, later live moves. */
export class MigrationRow extends Model {
  declare id: number;
  declare uuid: string;
  declare instance_uuid: string;
  declare migration_type: string;
  declare status: string;
  declare source_compute: string | null;
  declare source_node: string | null;
  declare source_node_id: number | null;
  declare dest_compute: string | null;
  declare dest_node: string | null;
  declare dest_node_id: number | null;
  declare dest_host: string | null;
  declare old_instance_type_id: number | null;
  declare new_instance_type_id: number | null;
  declare user_id: string | null;
  declare project_id: string | null;
  declare hidden: boolean;
  declare created_at: Date;
  declare updated_at: Date;
  declare deleted_at: Date | null;
  declare deleted: number;
}

export function initMigrationModels(sequelize: Sequelize): void {
  const s = (n = 255, allowNull = true) => ({ type: DataTypes.STRING(n), allowNull });
  const i = () => ({ type: DataTypes.INTEGER, allowNull: true });
  MigrationRow.init({
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
    uuid: s(36, false), instance_uuid: s(36, false), migration_type: s(16, false), status: s(255, false),
    source_compute: s(), source_node: s(), source_node_id: i(), dest_compute: s(), dest_node: s(), dest_node_id: i(), dest_host: s(),
    old_instance_type_id: i(), new_instance_type_id: i(), user_id: s(), project_id: s(),
    hidden: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    deleted_at: { type: DataTypes.DATE, allowNull: true },
    deleted: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
  }, { ...common, sequelize, tableName: 'migrations', modelName: 'Migration' });
}
