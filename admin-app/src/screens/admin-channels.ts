/** The channels as the admin API knows them (timetables, regions, time zone): shared by the programming screens. */
import { useQuery } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../api/client';

export type AdminChannel = Schemas['AdminChannel'];

export function useAdminChannels() {
  return useQuery({
    queryKey: ['admin-channels'],
    queryFn: async () =>
      ((await unwrap(api.GET('/api/admin/channels'))) as unknown as { channels: AdminChannel[] }).channels,
  });
}
