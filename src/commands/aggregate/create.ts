import { Args } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { aggregateColumns, aggregateRow } from '../../cli/views/aggregate';
import { Aggregate } from '../../client/compute/aggregates';

export default class AggregateCreate extends ClientCommand {
  static summary = 'Create a new aggregate with the specified details.';
  static aliases = ['aggregate-create'];
  static args = {
    name: Args.string({ description: 'Name of aggregate.', required: true }),
    'availability-zone': Args.string({ description: 'The availability zone of the aggregate (optional).' }),
  };

  async run(): Promise<Aggregate> {
    const { args, flags } = await this.parse(AggregateCreate);
    const nova = await this.connect(flags);
    const created = await nova.aggregates.create(args.name, args['availability-zone']);
    const agg = await nova.aggregates.get(created.id);
    this.printList([aggregateRow(agg)], aggregateColumns(nova.supports('2.41')));
    return agg;
  }
}
