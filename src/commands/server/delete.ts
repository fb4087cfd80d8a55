import { manyServersCommand } from '../../cli/server_action_command';

export default manyServersCommand({ alias: 'delete', verb: 'delete', summary: 'Immediately shut down and delete specified server(s).', act: (nova, id) => nova.servers.delete(id) });
