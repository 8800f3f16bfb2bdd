import { Button, Stack, Text } from '@mantine/core';
import type { DistrictChoice } from '../../common/auth.ts';
import { useSignInToDistrict } from '../api/session.ts';
import { FormError } from './FormError.tsx';

/** After the password: one button per district the account is in. */
export function DistrictChooser({
  choice,
  onCancel,
}: {
  choice: DistrictChoice['districtChoice'];
  onCancel: () => void;
}) {
  const signIn = useSignInToDistrict();
  return (
    <Stack>
      <Text>Your email is used in more than one district. Which one do you want to sign in to?</Text>
      <FormError error={signIn.error} fields={[]} />
      {choice.districts.map((district) => (
        <Button
          key={district.id}
          variant="light"
          fullWidth
          loading={signIn.isPending && signIn.variables?.districtId === district.id}
          disabled={signIn.isPending}
          onClick={() => signIn.mutate({ ticket: choice.ticket, districtId: district.id })}
        >
          {district.name}
        </Button>
      ))}
      <Button variant="subtle" onClick={onCancel}>
        Back
      </Button>
    </Stack>
  );
}
