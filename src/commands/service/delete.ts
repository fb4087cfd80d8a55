import { Args } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';

export default class ServiceDelete extends ClientCommand {
  static summary = 'Delete the service.';
  static description = 'Stop the nova-compute process on that host first, or it records itself again. The ID is a UUID since API 2.53, an integer before.';
  static aliases = ['service-delete'];
  static args = { id: Args.string({ description: 'ID of the service.', required: true }) };

  async run(): Promise<{ deleted: string }> {
    const { args, flags } = await this.parse(ServiceDelete);
    const nova = await this.connect(flags);
    await nova.services.delete(args.id);
    return { deleted: args.id };
  }
}
