import { DataTypes, Model, Sequelize } from 'sequelize';
import { common } from '../types';

/** One image of the built-in Image service (Glance's `images` table, soft-deleted like Glance's). */
export class ImageRow extends Model {
  declare id: string;
  declare name: string | null;
  declare disk_format: string | null;
  declare container_format: string | null;
  /** BIGINT: PostgreSQL and MySQL hand these back as strings. */
  declare size: number | string | null;
  declare virtual_size: number | string | null;
  declare status: string;
  declare visibility: string;
  declare checksum: string | null;
  declare os_hash_algo: string | null;
  declare os_hash_value: string | null;
  declare min_disk: number;
  declare min_ram: number;
  declare owner: string | null;
  declare protected: boolean;
  declare os_hidden: boolean;
  /** Where the data is kept (`file:///path`); never shown. */
  declare location: string | null;
  declare deleted: boolean;
  declare deleted_at: Date | null;
  declare created_at: Date;
  declare updated_at: Date;
}

/** A custom property of an image (everything that is not a base attribute). */
export class ImagePropertyRow extends Model {
  declare id: number; declare image_id: string; declare name: string; declare value: string | null;
}

/** A project an image is shared with, and whether that project accepted it. */
export class ImageMemberRow extends Model {
  declare id: number; declare image_id: string; declare member: string; declare status: string;
  declare created_at: Date; declare updated_at: Date;
}

export class ImageTagRow extends Model {
  declare id: number; declare image_id: string; declare value: string;
}

export function initImageModels(sequelize: Sequelize): void {
  ImageRow.init({
    id: { type: DataTypes.STRING(36), primaryKey: true },
    name: { type: DataTypes.STRING(255), allowNull: true },
    disk_format: { type: DataTypes.STRING(20), allowNull: true },
    container_format: { type: DataTypes.STRING(20), allowNull: true },
    size: { type: DataTypes.BIGINT, allowNull: true },
    virtual_size: { type: DataTypes.BIGINT, allowNull: true },
    status: { type: DataTypes.STRING(30), allowNull: false },
    visibility: { type: DataTypes.STRING(20), allowNull: false },
    checksum: { type: DataTypes.STRING(32), allowNull: true },
    os_hash_algo: { type: DataTypes.STRING(64), allowNull: true },
    os_hash_value: { type: DataTypes.STRING(128), allowNull: true },
    min_disk: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    min_ram: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    owner: { type: DataTypes.STRING(255), allowNull: true },
    protected: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    os_hidden: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    location: { type: DataTypes.TEXT, allowNull: true },
    deleted: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    deleted_at: { type: DataTypes.DATE, allowNull: true },
  }, { ...common, sequelize, tableName: 'images', modelName: 'Image' });
  ImagePropertyRow.init({
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
    image_id: { type: DataTypes.STRING(36), allowNull: false },
    name: { type: DataTypes.STRING(255), allowNull: false },
    value: { type: DataTypes.TEXT, allowNull: true },
  }, { ...common, timestamps: false, sequelize, tableName: 'image_properties', modelName: 'ImageProperty' });
  ImageMemberRow.init({
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
    image_id: { type: DataTypes.STRING(36), allowNull: false },
    member: { type: DataTypes.STRING(255), allowNull: false },
    status: { type: DataTypes.STRING(20), allowNull: false, defaultValue: 'pending' },
  }, { ...common, sequelize, tableName: 'image_members', modelName: 'ImageMember' });
  ImageTagRow.init({
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
    image_id: { type: DataTypes.STRING(36), allowNull: false },
    value: { type: DataTypes.STRING(255), allowNull: false },
  }, { ...common, timestamps: false, sequelize, tableName: 'image_tags', modelName: 'ImageTag' });
}
