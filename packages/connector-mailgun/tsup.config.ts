import { connectorBuild } from '../../tsup.base';

export default connectorBuild();
