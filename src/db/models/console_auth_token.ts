import { DataTypes, Model, Sequelize } from 'sequelize';
import { common } from '../types';

/** One console authorization: where a token leads, until when. The token itself is never stored. */
export class ConsoleAuthTokenRow extends Model {
  declare id: number;
  /** Lower-case hex SHA-256 of the token. */
  declare token_hash: string;
  declare console_type: string;
  declare host: string;
  declare port: number;
  declare internal_access_path: string | null;
  declare instance_uuid: string;
  /** Unix time, seconds. */
  declare expires: number;
  declare access_url_base: string | null;
  declare created_at: Date;
  declare updated_at: Date;
}

export function initConsoleAuthModels(sequelize: Sequelize): void {
  ConsoleAuthTokenRow.init({
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
    token_hash: { type: DataTypes.STRING(255), allowNull: false },
    console_type: { type: DataTypes.STRING(255), allowNull: false },
    host: { type: DataTypes.STRING(255), allowNull: false },
    port: { type: DataTypes.INTEGER, allowNull: false },
    internal_access_path: { type: DataTypes.STRING(255), allowNull: true },
    instance_uuid: { type: DataTypes.STRING(36), allowNull: false },
    expires: { type: DataTypes.INTEGER, allowNull: false },
    access_url_base: { type: DataTypes.STRING(255), allowNull: true },
  }, { ...common, sequelize, tableName: 'console_auth_tokens', modelName: 'ConsoleAuthToken' });
}
