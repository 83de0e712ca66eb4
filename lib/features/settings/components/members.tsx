"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { UserPlus, Wand2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import { toast } from "sonner";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Dialog } from "@/components/ui/dialog";
import { FormActions, FormField } from "@/components/ui/field";
import { FieldError, Input, Label, Select } from "@/components/ui/inputs";
import { RelativeTime } from "@/components/ui/time";
import { inviteMemberSchema, MEMBER_PASSWORD_MIN, type InviteMemberInput } from "@/lib/features/settings/schema";
import { ROLE_HELP, type MemberView } from "../types";
import { Table, Td } from "@/components/ui/table";
import { readError } from "@/lib/api-client";
import { useChangeRole, useInviteMember, useRemoveMember } from "../api/settings";

type Role = MemberView["role"];
const ROLE_LABEL: Record<Role, string> = { OWNER: "Owner", ADMIN: "Admin", VIEWER: "Viewer" };

type Permissions = { canInvite: boolean; canManage: boolean; canInviteOwner: boolean };

export function MembersSection({ members, permissions }: { members: MemberView[]; permissions: Permissions }) {
  const [inviting, setInviting] = useState(false);
  const [removing, setRemoving] = useState<MemberView | null>(null);
  const router = useRouter();
  const owners = members.filter((member) => member.role === "OWNER").length;

  const changeRole = useChangeRole({
    onSuccess: (_data, input) => toast.success(`${input.email} is now ${ROLE_LABEL[input.role].toLowerCase()}.`),
    onError: (error) => {
      toast.error(error.message);
      router.refresh();
    },
  });
  const remove = useRemoveMember({
    onSuccess: (_data, member) => {
      toast.success(`Removed ${member.email} from the workspace.`);
      setRemoving(null);
    },
    onError: (error) => toast.error(error.message),
  });

  return (
    <Card
      title="Members and roles"
      description="Who can sign in to this workspace, and what they may change."
      actions={
        permissions.canInvite && (
          <Button size="sm" onClick={() => setInviting(true)}>
            <UserPlus className="size-4" aria-hidden /> Invite member
          </Button>
        )
      }
    >
      <Table label="Members" frame="plain" className="-mx-5 -mt-5" minWidth={520} columns={["Email", "Role", "Joined", ...(permissions.canManage ? [{ label: "Actions", hidden: true }] : [])]}>
        {members.map((member) => {
          const lastOwner = member.role === "OWNER" && owners <= 1;
          return (
            <tr key={member.id}>
              <Td dense>
                <span className="font-medium text-zinc-900">{member.email}</span>
                {member.isYou && (
                  <Badge className="ml-2" tone="neutral">
                    You
                  </Badge>
                )}
              </Td>
              <Td dense>
                {permissions.canManage ? (
                  <Select
                    aria-label={`Role of ${member.email}`}
                    className="h-8 w-32"
                    value={member.role}
                    disabled={changeRole.isPending || lastOwner}
                    title={lastOwner ? "The last owner keeps the role: make someone else an owner first" : undefined}
                    onChange={(event) => changeRole.mutate({ membershipId: member.id, role: event.target.value as Role, email: member.email })}
                  >
                    {(["OWNER", "ADMIN", "VIEWER"] as const).map((role) => (
                      <option key={role} value={role}>
                        {ROLE_LABEL[role]}
                      </option>
                    ))}
                  </Select>
                ) : (
                  <Badge tone={member.role === "VIEWER" ? "neutral" : "info"}>{ROLE_LABEL[member.role]}</Badge>
                )}
              </Td>
              <Td dense className="whitespace-nowrap text-zinc-600">
                <RelativeTime iso={member.joinedAt} />
              </Td>
              {permissions.canManage && (
                <Td dense className="text-right">
                  <Button
                    size="sm"
                    variant="ghost"
                    className="hover:bg-red-50 disabled:hover:bg-transparent"
                    disabled={lastOwner}
                    title={lastOwner ? "A workspace needs at least one owner" : undefined}
                    aria-label={`Remove ${member.email}`}
                    onClick={() => setRemoving(member)}
                  >
                    <span className={lastOwner ? "text-zinc-300" : "text-red-700"}>Remove</span>
                  </Button>
                </Td>
              )}
            </tr>
          );
        })}
      </Table>
      <dl className="mt-4 grid gap-x-6 gap-y-1 text-xs text-zinc-500 sm:grid-cols-3">
        {(["OWNER", "ADMIN", "VIEWER"] as const).map((role) => (
          <div key={role}>
            <dt className="inline font-medium text-zinc-700">{ROLE_LABEL[role]}: </dt>
            <dd className="inline">{ROLE_HELP[role]}</dd>
          </div>
        ))}
      </dl>

      {permissions.canInvite && (
        <Dialog open={inviting} onClose={() => setInviting(false)} title="Invite a member">
          {inviting && (
            <InviteForm
              canInviteOwner={permissions.canInviteOwner}
              onCancel={() => setInviting(false)}
              onInvited={() => setInviting(false)}
            />
          )}
        </Dialog>
      )}
      <ConfirmDialog
        open={removing !== null}
        onClose={() => setRemoving(null)}
        onConfirm={() => removing && remove.mutate({ membershipId: removing.id, email: removing.email })}
        pending={remove.isPending}
        title="Remove member"
        confirmLabel="Remove"
      >
        <p>
          Remove <strong>{removing?.email}</strong>? They lose access to this workspace at once. Their account stays, so you can invite them again later.
        </p>
      </ConfirmDialog>
    </Card>
  );
}

/** 20 characters from an unambiguous alphabet, from the browser's CSPRNG. */
function generatePassword(): string {
  const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
  const bytes = crypto.getRandomValues(new Uint8Array(20));
  return Array.from(bytes, (byte) => alphabet[byte % alphabet.length]).join("");
}

function InviteForm({ canInviteOwner, onCancel, onInvited }: { canInviteOwner: boolean; onCancel: () => void; onInvited: () => void }) {
  const [showPassword, setShowPassword] = useState(false);
  const form = useForm<InviteMemberInput>({ resolver: zodResolver(inviteMemberSchema), defaultValues: { email: "", password: "", role: "VIEWER" } });
  const { register, handleSubmit, formState, setValue, setError, control } = form;
  const role = (useWatch({ control, name: "role" }) ?? "VIEWER") as Role;
  const invite = useInviteMember({
    onSuccess: (data) => {
      toast.success(
        data.createdUser
          ? `Invited ${data.email}. Share the password with them over a safe channel.`
          : `Added ${data.email}. They already had an account and sign in with their own password.`,
      );
      onInvited();
    },
    onError: (error) => {
      if (readError(error, "").code === "conflict") setError("email", { message: error.message }, { shouldFocus: true });
    },
  });
  const errors = formState.errors;
  return (
    <form onSubmit={handleSubmit((values) => invite.mutate(values))} className="space-y-4" noValidate>
      {invite.error && !errors.email && <Alert tone="error">{invite.error.message}</Alert>}
      <FormField label="Email" error={errors.email?.message}>
        <Input id="invite-email" type="email" autoComplete="off" autoFocus {...register("email")} />
      </FormField>
      <div>
        <Label htmlFor="invite-password" hint={`at least ${MEMBER_PASSWORD_MIN} characters`}>
          Initial password
        </Label>
        <div className="flex gap-2">
          <Input
            id="invite-password"
            type={showPassword ? "text" : "password"}
            autoComplete="new-password"
            className="font-mono"
            aria-invalid={errors.password ? true : undefined}
            aria-describedby={errors.password ? "invite-password-error" : "invite-password-hint"}
            {...register("password")}
          />
          <Button
            type="button"
            variant="secondary"
            onClick={() => {
              setValue("password", generatePassword(), { shouldValidate: true });
              setShowPassword(true);
            }}
          >
            <Wand2 className="size-3.5" aria-hidden /> Generate
          </Button>
        </div>
        {errors.password ? (
          <FieldError id="invite-password-error">{errors.password.message}</FieldError>
        ) : (
          <p id="invite-password-hint" className="mt-1 text-xs text-zinc-500">
            You set it and share it with them. If the email already has an account, its password stays as it is.
          </p>
        )}
      </div>
      <FormField label="Role" hint={ROLE_HELP[role]}>
        <Select id="invite-role" {...register("role")}>
          <option value="VIEWER">Viewer</option>
          <option value="ADMIN">Admin</option>
          {canInviteOwner && <option value="OWNER">Owner</option>}
        </Select>
      </FormField>
      <FormActions submitLabel="Invite" pending={invite.isPending} onCancel={onCancel} />
    </form>
  );
}
