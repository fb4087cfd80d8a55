import { Args, Flags } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { aggregateColumns, aggregateRow } from '../../cli/views/aggregate';
import { Aggregate } from '../../client/compute/aggregates';
import { CommandError } from '../../client/errors';

export default class AggregateUpdate extends ClientCommand {
  static summary = 'Update the aggregate\'s name and optionally availability zone.';
  static aliases = ['aggregate-update'];
  static args = { aggregate: Args.string({ description: 'Name or ID of aggregate to update.', required: true }) };
  static flags = {
    name: Flags.string({ description: 'New name for aggregate.' }),
    'availability-zone': Flags.string({ description: 'New availability zone for aggregate.' }),
  };

  async run(): Promise<Aggregate> {
    const { args, flags } = await this.parse(AggregateUpdate);
    const changes: { name?: string; availability_zone?: string } = {};
    if (flags.name) changes.name = flags.name;
    if (flags['availability-zone']) changes.availability_zone = flags['availability-zone'];
    if (Object.keys(changes).length === 0) throw new CommandError('Either --name or --availability-zone must be specified.');
    const nova = await this.connect(flags);
    const agg = await nova.aggregates.update((await nova.aggregates.find(args.aggregate)).id, changes);
    this.log(`Aggregate ${agg.id} has been successfully updated.`);
    this.printList([aggregateRow(agg)], aggregateColumns(nova.supports('2.41')));
    return agg;
  }
}
