/**
 * SQL Server `engineNativeAuditFields` (the remaining sys.fn_get_audit_file columns), keys in the
 * order of AWS's samples #17–#19. Only sources started with the native-fields flag carry them.
 */
import { hash32 } from '../random';

const XMLNS = 'http://schemas.microsoft.com/sqlserver/2008/sqlaudit_data';
const BITMASK: Readonly<Record<string, string>> = {
  SELECT: '1',
  UPDATE: '2',
  INSERT: '8',
  DELETE: '10',
  EXECUTE: '20',
};

export interface NativeInput {
  user: string;
  hostName: string;
  connectionId: string;
  command: string;
  schemaName: string;
  objectName: string;
  rows: number;
  address: string;
  /** Login events: 'ok', 'bad-password', 'unknown-login'. */
  login: 'ok' | 'bad-password' | 'unknown-login' | null;
}

function sid(user: string): string {
  const h = hash32(user).toString(16).padStart(8, '0');
  return `0x010500000000000515000000bdc2795e2d0717901ba6998c${h}`;
}

function loginInfo(kind: NativeInput['login'], address: string): string {
  if (kind === null) return '';
  if (kind === 'ok')
    return `<action_info xmlns="${XMLNS}"><pooled_connection>0</pooled_connection><client_options>0x28000020</client_options><client_options1>0x0001f438</client_options1><connect_options>0x01</connect_options><packet_data_size>8000</packet_data_size><address>${address}</address><is_dac>0</is_dac></action_info>`;
  const state = kind === 'bad-password' ? 8 : 5;
  return `<action_info xmlns="${XMLNS}"><pooled_connection>0</pooled_connection><error>0x00004818</error><state>${state}</state><address>${address}</address><PasswordFirstNibbleHash>B</PasswordFirstNibbleHash></action_info>`;
}

export function nativeFields(n: NativeInput): Record<string, unknown> {
  const failed = n.login === 'bad-password' || n.login === 'unknown-login';
  const onObject = n.objectName !== '' && n.schemaName !== '';
  return {
    target_database_principal_id: 0,
    target_server_principal_id: 0,
    target_database_principal_name: '',
    server_principal_id: failed ? 0 : 256 + (hash32(n.user) % 400),
    user_defined_information: '',
    response_rows: n.command === 'SELECT' ? n.rows : 0,
    database_principal_name: failed || n.login ? '' : 'dbo',
    target_server_principal_name: '',
    schema_name: onObject ? n.schemaName : '',
    is_column_permission: n.command === 'SELECT' && onObject,
    object_id: onObject ? 100_000_000 + (hash32(n.objectName) % 1_900_000_000) : 0,
    server_instance_name: n.hostName,
    target_server_principal_sid: null,
    additional_information: loginInfo(n.login, n.address),
    duration_milliseconds: 0,
    permission_bitmask: `0x${(BITMASK[n.command] ?? '0').padStart(32, '0')}`,
    data_sensitivity_information: '',
    session_server_principal_name: failed ? '' : n.user,
    connection_id: n.connectionId,
    audit_schema_version: 1,
    database_principal_id: failed || n.login ? 0 : 1,
    server_principal_sid: failed ? null : sid(n.user),
    user_defined_event_id: 0,
    host_name: n.hostName,
  };
}
