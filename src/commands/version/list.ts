import { ClientCommand } from '../../cli/client_command';
import { CLIENT_MAX_VERSION, CLIENT_MIN_VERSION } from '../../client/compute/client';
import { VersionDoc } from '../../client/compute/versions';

export default class VersionList extends ClientCommand {
  static summary = 'List all API versions.';
  static aliases = ['version-list'];

  async run(): Promise<{ client: { min_version: string; version: string }; server: VersionDoc[] }> {
    const { flags } = await this.parse(VersionList);
    const nova = await this.connect(flags);
    const versions = await nova.versions.list();
    const columns = versions.some((v) => 'min_version' in v) ? ['Id', 'Status', 'Updated', 'Min Version', 'Version'] : ['Id', 'Status', 'Updated'];
    this.log('Client supported API versions:');
    this.log(`Minimum version ${CLIENT_MIN_VERSION}`);
    this.log(`Maximum version ${CLIENT_MAX_VERSION}`);
    this.log('\nServer supported API versions:');
    this.printList(versions, columns);
    return { client: { min_version: CLIENT_MIN_VERSION.toString(), version: CLIENT_MAX_VERSION.toString() }, server: versions };
  }
}
