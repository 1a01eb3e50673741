using Cohort.Server.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace Cohort.Server.Studio.Shared;

/// <summary>Base of every signed-in Studio page: resolves the acting user (role and permissions) from the store.</summary>
public abstract class StudioPage : ComponentBase
{
    [CascadingParameter] private Task<AuthenticationState>? AuthState { get; set; }

    [Inject] private ActorResolver Resolver { get; set; } = default!;

    [Inject] protected NavigationManager Navigation { get; set; } = default!;

    protected Actor? Actor { get; private set; }

    protected bool Can(Permission permission) => Actor?.Can(permission) == true;

    protected override async Task OnInitializedAsync()
    {
        if (AuthState is not null) Actor = await Resolver.ResolveAsync((await AuthState).User);
        if (Actor is null)
        {
            Navigation.NavigateTo("/login", forceLoad: true);
            return;
        }
        await LoadAsync();
    }

    protected virtual Task LoadAsync() => Task.CompletedTask;
}
